"""The models of provider ``moonshot``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "moonshot"

MODELS: tuple[Entry, ...] = (
    {
        "name": "kimi-k2-0905-preview",
        "max_input_tokens": 262144,
        "input_price": 0.56,
        "output_price": 2.24,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "kimi-k2-thinking",
        "max_input_tokens": 262144,
        "input_price": 0.56,
        "output_price": 2.24,
        "supports_vision": True,
    },
    {
        "name": "kimi-k2-thinking-turbo",
        "max_input_tokens": 262144,
        "input_price": 1.12,
        "output_price": 8.12,
        "supports_vision": True,
    },
    {
        "name": "kimi-k2-turbo-preview",
        "max_input_tokens": 262144,
        "input_price": 1.12,
        "output_price": 8.12,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "kimi-k2.5",
        "max_input_tokens": 262144,
        "input_price": 0.56,
        "output_price": 2.94,
        "supports_vision": True,
        "supports_tools": True,
    },
)
