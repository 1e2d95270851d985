"""The models of provider ``ai21``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "ai21"

MODELS: tuple[Entry, ...] = (
    {
        "name": "jamba-large",
        "max_input_tokens": 256000,
        "input_price": 2.0,
        "output_price": 8.0,
        "supports_tools": True,
    },
    {
        "name": "jamba-mini",
        "max_input_tokens": 256000,
        "input_price": 0.2,
        "output_price": 0.4,
        "supports_tools": True,
    },
)
