"""The models of provider ``minimax``, generated from LiteLLM's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "minimax"

MODELS: tuple[Entry, ...] = (
    {
        "name": "MiniMax-M2",
        "max_input_tokens": 200000,
        "max_output_tokens": 8192,
        "input_price": 0.3,
        "output_price": 1.2,
        "cached_input_price": 0.03,
        "cache_write_price": 0.375,
        "supports_tools": True,
        "supports_thinking": True,
    },
    {
        "name": "MiniMax-M2.1",
        "max_input_tokens": 1000000,
        "max_output_tokens": 8192,
        "input_price": 0.3,
        "output_price": 1.2,
        "cached_input_price": 0.03,
        "cache_write_price": 0.375,
        "supports_tools": True,
        "supports_thinking": True,
    },
    {
        "name": "MiniMax-M2.1-lightning",
        "max_input_tokens": 1000000,
        "max_output_tokens": 8192,
        "input_price": 0.3,
        "output_price": 2.4,
        "cached_input_price": 0.03,
        "cache_write_price": 0.375,
        "supports_tools": True,
        "supports_thinking": True,
    },
    {
        "name": "MiniMax-M2.5",
        "max_input_tokens": 1000000,
        "max_output_tokens": 8192,
        "input_price": 0.3,
        "output_price": 1.2,
        "cached_input_price": 0.03,
        "cache_write_price": 0.375,
        "supports_tools": True,
        "supports_thinking": True,
    },
    {
        "name": "MiniMax-M2.5-lightning",
        "max_input_tokens": 1000000,
        "max_output_tokens": 8192,
        "input_price": 0.3,
        "output_price": 2.4,
        "cached_input_price": 0.03,
        "cache_write_price": 0.375,
        "supports_tools": True,
        "supports_thinking": True,
    },
    {
        "name": "MiniMax-M3",
        "max_input_tokens": 1000000,
        "max_output_tokens": 128000,
        "input_price": 0.3,
        "output_price": 1.2,
        "cached_input_price": 0.06,
        "supports_vision": True,
        "supports_tools": True,
        "supports_thinking": True,
    },
)
