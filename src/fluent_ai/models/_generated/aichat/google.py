"""The models of provider ``google``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "google"

MODELS: tuple[Entry, ...] = (
    {
        "name": "gemini-2.0-flash",
        "max_input_tokens": 1048576,
        "max_output_tokens": 8192,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gemini-2.0-flash-lite",
        "max_input_tokens": 1048576,
        "max_output_tokens": 8192,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gemini-2.5-flash",
        "max_input_tokens": 1048576,
        "max_output_tokens": 65536,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gemini-2.5-flash-lite",
        "max_input_tokens": 1000000,
        "max_output_tokens": 64000,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gemini-2.5-pro",
        "max_input_tokens": 1048576,
        "max_output_tokens": 65536,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gemini-3-flash-preview",
        "max_input_tokens": 1048576,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gemini-3-pro-preview",
        "max_input_tokens": 1048576,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gemma-3-27b-it",
        "max_input_tokens": 131072,
        "max_output_tokens": 8192,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "text-embedding-004",
        "kind": "embedding",
        "input_price": 0.0,
        "max_batch_size": 100,
        "max_tokens_per_text": 2048,
    },
)
