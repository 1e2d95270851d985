"""The models of provider ``xai``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "xai"

MODELS: tuple[Entry, ...] = (
    {
        "name": "grok-4-1-fast-non-reasoning",
        "max_input_tokens": 2000000,
        "input_price": 0.2,
        "output_price": 0.5,
        "supports_tools": True,
    },
    {
        "name": "grok-4-1-fast-reasoning",
        "max_input_tokens": 2000000,
        "input_price": 0.2,
        "output_price": 0.5,
        "supports_tools": True,
    },
    {
        "name": "grok-code-fast-1",
        "max_input_tokens": 256000,
        "input_price": 0.2,
        "output_price": 1.5,
        "supports_tools": True,
    },
)
