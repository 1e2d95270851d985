"""The models of provider ``perplexity``, generated from aichat's model catalogue.

Do not edit: ``fluent-ai models sync`` rewrites this file when the catalogue changes.
"""

from fluent_ai.models.entry import Entry

PROVIDER = "perplexity"

MODELS: tuple[Entry, ...] = (
    {
        "name": "sonar",
        "max_input_tokens": 128000,
        "input_price": 1.0,
        "output_price": 1.0,
    },
    {
        "name": "sonar-deep-research",
        "max_input_tokens": 128000,
        "input_price": 2.0,
        "output_price": 8.0,
    },
    {
        "name": "sonar-pro",
        "max_input_tokens": 200000,
        "input_price": 3.0,
        "output_price": 15.0,
    },
    {
        "name": "sonar-reasoning-pro",
        "max_input_tokens": 128000,
        "input_price": 2.0,
        "output_price": 8.0,
    },
)
