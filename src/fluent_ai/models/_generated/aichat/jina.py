"""The models of provider ``jina``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "jina"

MODELS: tuple[Entry, ...] = (
    {
        "name": "jina-clip-v2",
        "kind": "embedding",
        "input_price": 0.0,
        "max_batch_size": 100,
        "max_tokens_per_text": 8192,
    },
    {
        "name": "jina-colbert-v2",
        "kind": "embedding",
        "input_price": 0.0,
        "max_batch_size": 100,
        "max_tokens_per_text": 8192,
    },
    {
        "name": "jina-colbert-v2",
        "kind": "reranker",
        "max_input_tokens": 8192,
        "input_price": 0.0,
    },
    {
        "name": "jina-embeddings-v3",
        "kind": "embedding",
        "input_price": 0.0,
        "max_batch_size": 100,
        "max_tokens_per_text": 8192,
    },
    {
        "name": "jina-reranker-v2-base-multilingual",
        "kind": "reranker",
        "max_input_tokens": 8192,
        "input_price": 0.0,
    },
)
