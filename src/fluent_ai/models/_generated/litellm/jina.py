"""The models of provider ``jina``, generated from LiteLLM's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "jina"

MODELS: tuple[Entry, ...] = (
    {
        "name": "jina-reranker-m0",
        "kind": "reranker",
        "max_input_tokens": 10240,
        "input_price": 0.05,
        "output_price": 0.0,
    },
    {
        "name": "jina-reranker-v2-base-multilingual",
        "kind": "reranker",
        "max_input_tokens": 1024,
        "max_output_tokens": 1024,
        "input_price": 0.05,
        "output_price": 0.0,
    },
    {
        "name": "jina-reranker-v3.5",
        "kind": "reranker",
        "max_input_tokens": 131072,
        "input_price": 0.05,
        "output_price": 0.0,
    },
)
