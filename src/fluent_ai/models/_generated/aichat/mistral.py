"""The models of provider ``mistral``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "mistral"

MODELS: tuple[Entry, ...] = (
    {
        "name": "codestral-latest",
        "max_input_tokens": 262144,
        "input_price": 0.3,
        "output_price": 0.9,
        "supports_tools": True,
    },
    {
        "name": "devstral-medium-latest",
        "max_input_tokens": 262144,
        "input_price": 0.4,
        "output_price": 2.0,
        "supports_tools": True,
    },
    {
        "name": "devstral-small-latest",
        "max_input_tokens": 262144,
        "input_price": 0.1,
        "output_price": 0.3,
        "supports_tools": True,
    },
    {
        "name": "magistral-medium-latest",
        "max_input_tokens": 131072,
        "input_price": 2.0,
        "output_price": 5.0,
    },
    {
        "name": "magistral-small-latest",
        "max_input_tokens": 131072,
        "input_price": 0.5,
        "output_price": 1.5,
    },
    {
        "name": "ministral-14b-latest",
        "max_input_tokens": 262144,
        "input_price": 0.2,
        "output_price": 0.2,
        "supports_tools": True,
    },
    {
        "name": "mistral-embed",
        "kind": "embedding",
        "max_input_tokens": 8092,
        "input_price": 0.1,
        "max_tokens_per_text": 8092,
    },
    {
        "name": "mistral-large-latest",
        "max_output_tokens": 262144,
        "input_price": 0.5,
        "output_price": 1.5,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "mistral-medium-latest",
        "max_input_tokens": 131072,
        "input_price": 0.4,
        "output_price": 2.0,
        "supports_vision": True,
        "supports_tools": True,
    },
    {
        "name": "mistral-small-latest",
        "max_input_tokens": 32768,
        "input_price": 0.1,
        "output_price": 0.3,
        "supports_vision": True,
        "supports_tools": True,
    },
)
