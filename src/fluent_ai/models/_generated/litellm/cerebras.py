"""The models of provider ``cerebras``, generated from LiteLLM's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "cerebras"

MODELS: tuple[Entry, ...] = (
    {
        "name": "gemma-4-31b",
        "max_input_tokens": 131072,
        "max_output_tokens": 40960,
        "input_price": 0.99,
        "output_price": 1.49,
        "supports_vision": True,
        "supports_tools": True,
        "supports_json_schema": True,
        "supports_thinking": True,
    },
    {
        "name": "gpt-oss-120b",
        "max_input_tokens": 131072,
        "max_output_tokens": 32768,
        "input_price": 0.35,
        "output_price": 0.75,
        "supports_tools": True,
        "supports_json_schema": True,
        "supports_thinking": True,
    },
    {
        "name": "llama-3.1-70b",
        "max_input_tokens": 128000,
        "max_output_tokens": 128000,
        "input_price": 0.6,
        "output_price": 0.6,
        "supports_tools": True,
    },
    {
        "name": "llama-3.1-8b",
        "max_input_tokens": 128000,
        "max_output_tokens": 128000,
        "input_price": 0.1,
        "output_price": 0.1,
        "supports_tools": True,
    },
    {
        "name": "llama-3.3-70b",
        "max_input_tokens": 128000,
        "max_output_tokens": 128000,
        "input_price": 0.85,
        "output_price": 1.2,
        "supports_tools": True,
        "deprecation_date": "2026-02-16",
    },
    {
        "name": "llama3.1-8b",
        "max_input_tokens": 128000,
        "max_output_tokens": 128000,
        "input_price": 0.1,
        "output_price": 0.1,
        "supports_tools": True,
        "deprecation_date": "2026-05-27",
    },
    {
        "name": "qwen-3-32b",
        "max_input_tokens": 128000,
        "max_output_tokens": 128000,
        "input_price": 0.4,
        "output_price": 0.8,
        "supports_tools": True,
        "supports_thinking": True,
        "deprecation_date": "2026-02-16",
    },
    {
        "name": "qwen-3.8-27b",
        "max_input_tokens": 65536,
        "max_output_tokens": 32768,
        "input_price": 0.99,
        "output_price": 1.49,
        "supports_vision": True,
        "supports_tools": True,
        "supports_json_schema": True,
        "supports_thinking": True,
    },
)
