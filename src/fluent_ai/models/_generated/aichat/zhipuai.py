"""The models of provider ``zhipuai``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "zhipuai"

MODELS: tuple[Entry, ...] = (
    {
        "name": "embedding-3",
        "kind": "embedding",
        "max_input_tokens": 8192,
        "input_price": 0.07,
        "max_tokens_per_text": 8192,
    },
    {
        "name": "glm-4.6v",
        "max_input_tokens": 65536,
        "supports_vision": True,
    },
    {
        "name": "glm-4.6v-flash",
        "max_input_tokens": 65536,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_vision": True,
    },
    {
        "name": "glm-4.7",
        "max_input_tokens": 202752,
        "supports_tools": True,
    },
    {
        "name": "glm-4.7-flash",
        "max_input_tokens": 202752,
        "input_price": 0.0,
        "output_price": 0.0,
        "supports_tools": True,
    },
    {
        "name": "glm-4.7:instruct",
        "api_name": "glm-4.7",
        "max_input_tokens": 202752,
        "supports_tools": True,
    },
    {
        "name": "glm-5",
        "max_input_tokens": 202752,
        "supports_tools": True,
    },
    {
        "name": "glm-5:instruct",
        "api_name": "glm-5",
        "max_input_tokens": 202752,
        "supports_tools": True,
    },
    {
        "name": "rerank",
        "kind": "reranker",
        "max_input_tokens": 4096,
        "input_price": 0.112,
    },
)
