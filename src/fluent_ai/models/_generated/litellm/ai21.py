"""The models of provider ``ai21``, generated from LiteLLM's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "ai21"

MODELS: tuple[Entry, ...] = (
    {
        "name": "jamba-1.5",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 0.2,
        "output_price": 0.4,
    },
    {
        "name": "jamba-1.5-large",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 2.0,
        "output_price": 8.0,
    },
    {
        "name": "jamba-1.5-large@001",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 2.0,
        "output_price": 8.0,
    },
    {
        "name": "jamba-1.5-mini",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 0.2,
        "output_price": 0.4,
    },
    {
        "name": "jamba-1.5-mini@001",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 0.2,
        "output_price": 0.4,
    },
    {
        "name": "jamba-large-1.6",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 2.0,
        "output_price": 8.0,
    },
    {
        "name": "jamba-large-1.7",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 2.0,
        "output_price": 8.0,
    },
    {
        "name": "jamba-mini-1.6",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 0.2,
        "output_price": 0.4,
    },
    {
        "name": "jamba-mini-1.7",
        "max_input_tokens": 256000,
        "max_output_tokens": 256000,
        "input_price": 0.2,
        "output_price": 0.4,
    },
)
