"""The models of provider ``ernie``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "ernie"

MODELS: tuple[Entry, ...] = (
    {
        "name": "bce-reranker-base",
        "kind": "reranker",
        "max_input_tokens": 1024,
        "input_price": 0.07,
    },
    {
        "name": "bge-large-en",
        "kind": "embedding",
        "input_price": 0.07,
        "max_batch_size": 16,
        "max_tokens_per_text": 512,
    },
    {
        "name": "bge-large-zh",
        "kind": "embedding",
        "input_price": 0.07,
        "max_batch_size": 16,
        "max_tokens_per_text": 512,
    },
    {
        "name": "ernie-4.5-turbo-128k",
        "max_input_tokens": 131072,
        "input_price": 0.112,
        "output_price": 0.448,
    },
    {
        "name": "ernie-4.5-turbo-vl-32k",
        "max_input_tokens": 32768,
        "input_price": 0.42,
        "output_price": 1.26,
        "supports_vision": True,
    },
    {
        "name": "ernie-5.0-thinking-preview",
        "max_input_tokens": 131072,
        "input_price": 1.4,
        "output_price": 5.6,
    },
    {
        "name": "ernie-x1.1-preview",
        "max_input_tokens": 65536,
        "input_price": 0.14,
        "output_price": 0.56,
    },
)
