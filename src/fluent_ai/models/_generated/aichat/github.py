"""The models of provider ``github``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "github"

MODELS: tuple[Entry, ...] = (
    {
        "name": "codestral-2501",
        "max_input_tokens": 256000,
        "supports_tools": True,
    },
    {
        "name": "cohere-embed-v3-english",
        "kind": "embedding",
        "max_batch_size": 96,
        "max_tokens_per_text": 512,
    },
    {
        "name": "cohere-embed-v3-multilingual",
        "kind": "embedding",
        "max_batch_size": 96,
        "max_tokens_per_text": 512,
    },
    {
        "name": "deepseek-r1-0528",
        "max_input_tokens": 163840,
    },
    {
        "name": "deepseek-v3-0324",
        "max_input_tokens": 163840,
    },
    {
        "name": "gpt-4.1",
        "max_input_tokens": 1047576,
        "max_output_tokens": 32768,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-4o",
        "max_input_tokens": 128000,
        "max_output_tokens": 16384,
        "supports_tools": True,
    },
    {
        "name": "gpt-5",
        "max_input_tokens": 400000,
        "max_output_tokens": 128000,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-5-mini",
        "max_input_tokens": 400000,
        "max_output_tokens": 128000,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "gpt-5-nano",
        "max_input_tokens": 400000,
        "max_output_tokens": 128000,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "grok-3",
        "max_input_tokens": 131072,
    },
    {
        "name": "grok-3-mini",
        "max_input_tokens": 131072,
    },
    {
        "name": "llama-3.3-70b-instruct",
        "max_input_tokens": 131072,
    },
    {
        "name": "llama-4-maverick-17b-128e-instruct-fp8",
        "max_input_tokens": 1048576,
        "supports_vision": True,
    },
    {
        "name": "llama-4-scout-17b-16e-instruct",
        "max_input_tokens": 327680,
        "supports_vision": True,
    },
    {
        "name": "mai-ds-r1",
        "max_input_tokens": 163840,
    },
    {
        "name": "mistral-medium-2505",
        "max_input_tokens": 131072,
        "supports_tools": True,
    },
    {
        "name": "mistral-small-2503",
        "max_input_tokens": 131072,
        "supports_tools": True,
    },
    {
        "name": "phi-4",
        "max_input_tokens": 16384,
    },
    {
        "name": "phi-4-mini-instruct",
        "max_input_tokens": 131072,
    },
    {
        "name": "phi-4-mini-reasoning",
        "max_input_tokens": 131072,
    },
    {
        "name": "phi-4-reasoning",
        "max_input_tokens": 33792,
    },
    {
        "name": "text-embedding-3-large",
        "kind": "embedding",
        "max_batch_size": 100,
        "max_tokens_per_text": 8191,
    },
    {
        "name": "text-embedding-3-small",
        "kind": "embedding",
        "max_batch_size": 100,
        "max_tokens_per_text": 8191,
    },
)
