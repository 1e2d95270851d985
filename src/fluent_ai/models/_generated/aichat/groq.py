"""The models of provider ``groq``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "groq"

MODELS: tuple[Entry, ...] = (
    {
        "name": "groq/compound",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "groq/compound-mini",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "llama-3.3-70b-versatile",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_tools": True,
    },
    {
        "name": "meta-llama/llama-4-maverick-17b-128e-instruct",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "meta-llama/llama-4-scout-17b-16e-instruct",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "moonshotai/kimi-k2-instruct-0905",
        "max_input_tokens": 262144,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_tools": True,
    },
    {
        "name": "openai/gpt-oss-120b",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_tools": True,
    },
    {
        "name": "openai/gpt-oss-20b",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_tools": True,
    },
    {
        "name": "qwen/qwen3-32b",
        "max_input_tokens": 131072,
        "input_price": 0.0,
        "output_price": 0.0,
    },
)
