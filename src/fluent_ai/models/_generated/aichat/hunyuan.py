"""The models of provider ``hunyuan``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "hunyuan"

MODELS: tuple[Entry, ...] = (
    {
        "name": "hunyuan-2.0-instruct-20251111",
        "max_input_tokens": 131072,
        "input_price": 0.112,
        "output_price": 0.28,
        "supports_tools": True,
    },
    {
        "name": "hunyuan-2.0-thinking-20251109",
        "max_input_tokens": 131072,
        "input_price": 0.14,
        "output_price": 0.56,
        "supports_tools": True,
    },
    {
        "name": "hunyuan-embedding",
        "kind": "embedding",
        "input_price": 0.01,
        "max_batch_size": 100,
        "max_tokens_per_text": 1024,
    },
    {
        "name": "hunyuan-vision-1.5-instruct",
        "max_input_tokens": 24576,
        "input_price": 0.42,
        "output_price": 1.26,
        "supports_vision": True,
    },
)
