"""The models of provider ``cohere``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "cohere"

MODELS: tuple[Entry, ...] = (
    {
        "name": "command-a-03-2025",
        "max_input_tokens": 262144,
        "max_output_tokens": 8192,
        "input_price": 2.5,
        "output_price": 10.0,
        "supports_tools": True,
    },
    {
        "name": "command-a-reasoning-08-2025",
        "max_input_tokens": 262144,
        "max_output_tokens": 32768,
        "input_price": 2.5,
        "output_price": 10.0,
    },
    {
        "name": "command-a-vision-07-2025",
        "max_input_tokens": 131072,
        "max_output_tokens": 8192,
        "input_price": 2.5,
        "output_price": 10.0,
        "supports_vision": True,
    },
    {
        "name": "command-r7b-12-2024",
        "max_input_tokens": 131072,
        "max_output_tokens": 4096,
        "input_price": 0.0375,
        "output_price": 0.15,
    },
    {
        "name": "embed-english-v3.0",
        "kind": "embedding",
        "input_price": 0.1,
        "max_batch_size": 96,
        "max_tokens_per_text": 512,
    },
    {
        "name": "embed-multilingual-v3.0",
        "kind": "embedding",
        "input_price": 0.1,
        "max_batch_size": 96,
        "max_tokens_per_text": 512,
    },
    {
        "name": "embed-v4.0",
        "kind": "embedding",
        "input_price": 0.12,
        "max_batch_size": 96,
        "max_tokens_per_text": 2048,
    },
    {
        "name": "rerank-english-v3.0",
        "kind": "reranker",
        "max_input_tokens": 4096,
    },
    {
        "name": "rerank-multilingual-v3.0",
        "kind": "reranker",
        "max_input_tokens": 4096,
    },
    {
        "name": "rerank-v3.5",
        "kind": "reranker",
        "max_input_tokens": 4096,
    },
)
