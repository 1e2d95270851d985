"""The models of provider ``qianwen``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "qianwen"

MODELS: tuple[Entry, ...] = (
    {
        "name": "qwen3-235b-a22b-instruct-2507",
        "max_input_tokens": 131072,
        "input_price": 0.28,
        "output_price": 1.12,
        "supports_tools": True,
    },
    {
        "name": "qwen3-235b-a22b-thinking-2507",
        "max_input_tokens": 131072,
        "input_price": 0.28,
        "output_price": 2.8,
    },
    {
        "name": "qwen3-30b-a3b-instruct-2507",
        "max_input_tokens": 131072,
        "input_price": 0.105,
        "output_price": 0.42,
        "supports_tools": True,
    },
    {
        "name": "qwen3-30b-a3b-thinking-2507",
        "max_input_tokens": 131072,
        "input_price": 0.105,
        "output_price": 1.05,
    },
    {
        "name": "qwen3-coder-30b-a3b-instruct",
        "max_input_tokens": 262144,
    },
    {
        "name": "qwen3-coder-480b-a35b-instruct",
        "max_input_tokens": 262144,
    },
    {
        "name": "qwen3-coder-flash",
        "max_input_tokens": 1000000,
    },
    {
        "name": "qwen3-coder-next",
        "max_input_tokens": 262144,
    },
    {
        "name": "qwen3-coder-plus",
        "max_input_tokens": 1000000,
    },
    {
        "name": "qwen3-max",
        "max_input_tokens": 262144,
        "supports_tools": True,
    },
    {
        "name": "qwen3-max:thinking",
        "api_name": "qwen3-max",
        "max_input_tokens": 262144,
        "supports_tools": True,
    },
    {
        "name": "qwen3-next-80b-a3b-instruct",
        "max_input_tokens": 131072,
        "input_price": 0.14,
        "output_price": 0.56,
        "supports_tools": True,
    },
    {
        "name": "qwen3-next-80b-a3b-thinking",
        "max_input_tokens": 131072,
        "input_price": 0.14,
        "output_price": 1.4,
    },
    {
        "name": "qwen3-vl-32b-instruct",
        "max_input_tokens": 131072,
        "input_price": 0.28,
        "output_price": 1.12,
        "supports_vision": True,
    },
    {
        "name": "qwen3-vl-8b-instruct",
        "max_input_tokens": 131072,
        "input_price": 0.07,
        "output_price": 0.28,
        "supports_vision": True,
    },
    {
        "name": "qwen3-vl-flash",
        "max_input_tokens": 262144,
        "supports_vision": True,
    },
    {
        "name": "qwen3-vl-plus",
        "max_input_tokens": 262144,
        "supports_vision": True,
    },
    {
        "name": "qwen3.5-397b-a17b",
        "max_input_tokens": 262144,
        "supports_tools": True,
    },
    {
        "name": "qwen3.5-397b-a17b:thinking",
        "api_name": "qwen3.5-397b-a17b",
        "max_input_tokens": 262144,
        "supports_tools": True,
    },
    {
        "name": "qwen3.5-plus",
        "max_input_tokens": 262144,
        "supports_tools": True,
    },
    {
        "name": "qwen3.5-plus:thinking",
        "api_name": "qwen3.5-plus",
        "max_input_tokens": 262144,
        "supports_tools": True,
    },
    {
        "name": "text-embedding-v3",
        "kind": "embedding",
        "input_price": 0.1,
        "max_batch_size": 10,
        "max_tokens_per_text": 8192,
    },
    {
        "name": "text-embedding-v4",
        "kind": "embedding",
        "input_price": 0.1,
        "max_batch_size": 10,
        "max_tokens_per_text": 8192,
    },
)
