"""The models of provider ``groq``, generated from LiteLLM's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "groq"

MODELS: tuple[Entry, ...] = (
    {
        "name": "meta-llama/llama-prompt-guard-2-22m",
        "max_input_tokens": 512,
        "max_output_tokens": 512,
        "input_price": 0.03,
        "output_price": 0.03,
    },
    {
        "name": "meta-llama/llama-prompt-guard-2-86m",
        "max_input_tokens": 512,
        "max_output_tokens": 512,
        "input_price": 0.04,
        "output_price": 0.04,
    },
    {
        "name": "openai/gpt-oss-120b",
        "max_input_tokens": 131072,
        "max_output_tokens": 65536,
        "input_price": 0.15,
        "output_price": 0.6,
        "cached_input_price": 0.075,
        "supports_tools": True,
        "supports_json_schema": True,
        "supports_thinking": True,
    },
    {
        "name": "openai/gpt-oss-20b",
        "max_input_tokens": 131072,
        "max_output_tokens": 65536,
        "input_price": 0.075,
        "output_price": 0.3,
        "cached_input_price": 0.0375,
        "supports_tools": True,
        "supports_json_schema": True,
        "supports_thinking": True,
    },
    {
        "name": "openai/gpt-oss-safeguard-20b",
        "max_input_tokens": 131072,
        "max_output_tokens": 65536,
        "input_price": 0.075,
        "output_price": 0.3,
        "cached_input_price": 0.037,
        "supports_tools": True,
        "supports_json_schema": True,
        "supports_thinking": True,
    },
    {
        "name": "qwen/qwen3.8-27b",
        "max_input_tokens": 131072,
        "max_output_tokens": 16384,
        "input_price": 0.8,
        "output_price": 4.0,
        "supports_vision": True,
        "supports_tools": True,
        "supports_json_schema": True,
        "supports_thinking": True,
    },
)
