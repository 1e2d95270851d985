"""The models of provider ``voyageai``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "voyageai"

MODELS: tuple[Entry, ...] = (
    {
        "name": "rerank-2",
        "kind": "reranker",
        "max_input_tokens": 16000,
        "input_price": 0.05,
    },
    {
        "name": "rerank-2-lite",
        "kind": "reranker",
        "max_input_tokens": 8000,
        "input_price": 0.02,
    },
    {
        "name": "voyage-3",
        "kind": "embedding",
        "max_input_tokens": 320000,
        "input_price": 0.06,
        "max_batch_size": 128,
        "max_tokens_per_text": 32000,
    },
    {
        "name": "voyage-3-large",
        "kind": "embedding",
        "max_input_tokens": 120000,
        "input_price": 0.18,
        "max_batch_size": 128,
        "max_tokens_per_text": 32000,
    },
    {
        "name": "voyage-3-lite",
        "kind": "embedding",
        "max_input_tokens": 1000000,
        "input_price": 0.02,
        "max_batch_size": 128,
        "max_tokens_per_text": 32000,
    },
)
