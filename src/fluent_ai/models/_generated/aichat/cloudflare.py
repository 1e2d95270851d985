"""The models of provider ``cloudflare``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "cloudflare"

MODELS: tuple[Entry, ...] = (
    {
        "name": "@cf/baai/bge-large-en-v1.5",
        "kind": "embedding",
        "input_price": 0.0,
        "max_batch_size": 100,
        "max_tokens_per_text": 512,
    },
    {
        "name": "@cf/google/gemma-3-12b-it",
        "max_input_tokens": 131072,
        "max_output_tokens": 2048,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
        "max_input_tokens": 131072,
        "max_output_tokens": 2048,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "@cf/meta/llama-4-scout-17b-16e-instruct",
        "max_input_tokens": 131072,
        "max_output_tokens": 2048,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "@cf/mistralai/mistral-small-3.1-24b-instruct",
        "max_input_tokens": 131072,
        "max_output_tokens": 2048,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "@cf/qwen/qwen2.5-coder-32b-instruct",
        "max_input_tokens": 131072,
        "max_output_tokens": 2048,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "@cf/qwen/qwen3-30b-a3b-fp8",
        "max_input_tokens": 131072,
        "max_output_tokens": 2048,
        "input_price": 0.0,
        "output_price": 0.0,
    },
    {
        "name": "@cf/zai-org/glm-4.7-flash",
        "max_input_tokens": 131072,
        "max_output_tokens": 2048,
        "input_price": 0.0,
        "output_price": 0.0,
    },
)
