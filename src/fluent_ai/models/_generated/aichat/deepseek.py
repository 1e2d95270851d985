"""The models of provider ``deepseek``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "deepseek"

MODELS: tuple[Entry, ...] = (
    {
        "name": "deepseek-chat",
        "max_input_tokens": 64000,
        "max_output_tokens": 8192,
        "input_price": 0.56,
        "output_price": 1.68,
        "supports_tools": True,
    },
    {
        "name": "deepseek-reasoner",
        "max_input_tokens": 64000,
        "max_output_tokens": 32768,
        "input_price": 0.56,
        "output_price": 1.68,
    },
)
