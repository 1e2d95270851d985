"""The models of provider ``openai``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "openai"

MODELS: tuple[Entry, ...] = (
    {
        "name": "gpt-3.5-turbo",
        "max_input_tokens": 16385,
        "max_output_tokens": 4096,
        "input_price": 0.5,
        "output_price": 1.5,
        "supports_tools": True,
    },
    {
        "name": "gpt-4-turbo",
        "max_input_tokens": 128000,
        "max_output_tokens": 4096,
        "input_price": 10.0,
        "output_price": 30.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-4.1",
        "max_input_tokens": 1047576,
        "max_output_tokens": 32768,
        "input_price": 2.0,
        "output_price": 8.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-4o",
        "max_input_tokens": 128000,
        "max_output_tokens": 16384,
        "input_price": 2.5,
        "output_price": 10.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-5",
        "max_input_tokens": 400000,
        "max_output_tokens": 128000,
        "input_price": 1.25,
        "output_price": 10.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-5-mini",
        "max_input_tokens": 400000,
        "max_output_tokens": 128000,
        "input_price": 0.25,
        "output_price": 2.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-5-nano",
        "max_input_tokens": 400000,
        "max_output_tokens": 128000,
        "input_price": 0.05,
        "output_price": 0.4,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-5.2",
        "max_input_tokens": 400000,
        "max_output_tokens": 128000,
        "input_price": 1.75,
        "output_price": 14.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "text-embedding-3-large",
        "kind": "embedding",
        "input_price": 0.13,
        "max_batch_size": 100,
        "max_tokens_per_text": 8191,
    },
    {
        "name": "text-embedding-3-small",
        "kind": "embedding",
        "input_price": 0.02,
        "max_batch_size": 100,
        "max_tokens_per_text": 8191,
    },
)
