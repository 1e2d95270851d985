"""The models of provider ``minimax``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "minimax"

MODELS: tuple[Entry, ...] = (
    {
        "name": "minimax-m2.1",
        "max_input_tokens": 204800,
        "input_price": 0.294,
        "output_price": 1.176,
        "supports_tools": True,
    },
    {
        "name": "minimax-m2.1-highspeed",
        "max_input_tokens": 204800,
        "input_price": 0.588,
        "output_price": 2.352,
        "supports_tools": True,
    },
    {
        "name": "minimax-m2.5",
        "max_input_tokens": 204800,
        "input_price": 0.294,
        "output_price": 1.176,
        "supports_tools": True,
    },
    {
        "name": "minimax-m2.5-highspeed",
        "max_input_tokens": 204800,
        "input_price": 0.588,
        "output_price": 2.352,
        "supports_tools": True,
    },
)
