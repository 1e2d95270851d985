"""Reading LiteLLM's catalogue, and merging it with aichat's field by field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.models import Registry, resolve
from fluent_ai.models.errors import CatalogueError
from fluent_ai.models.generated import read_module, render_module
from fluent_ai.models.litellm import parse_catalogue
from tests.unit.models.conftest import LITELLM


@pytest.fixture(scope="module")
def real() -> dict[str, dict[str, dict[str, object]]]:
    catalogue = parse_catalogue(LITELLM.read_text(encoding="utf-8"))
    return {p: {e["name"]: dict(e) for e in entries} for p, entries in catalogue.items()}


def test_the_models_people_use_most_are_there_with_prices(
    real: dict[str, dict[str, dict[str, object]]],
) -> None:
    assert real["openai"]["gpt-4o-mini"] == {
        "name": "gpt-4o-mini",
        "max_input_tokens": 128000,
        "max_output_tokens": 16384,
        "input_price": 0.15,
        "output_price": 0.6,
        "cached_input_price": 0.075,
        "supports_vision": True,
        "supports_tools": True,
        "supports_json_schema": True,
        "deprecation_date": "2027-01-14",
    }
    for name in ("gpt-4.1-mini", "o3-mini", "gpt-4o-2024-08-06"):
        assert real["openai"][name]["input_price"] is not None


def test_routing_prefixes_are_cut_and_providers_renamed(
    real: dict[str, dict[str, dict[str, object]]],
) -> None:
    assert "gemini-2.5-flash" in real["google"]  # key gemini/gemini-2.5-flash
    assert "openai/gpt-oss-120b" in real["groq"]  # key groq/openai/gpt-oss-120b
    assert "claude-3-5-sonnet@20240620" in real["vertexai"]  # key vertex_ai/…
    assert real["voyageai"]["rerank-2"]["kind"] == "reranker"


def test_regional_price_lists_and_other_modes_are_skipped(
    real: dict[str, dict[str, dict[str, object]]],
) -> None:
    assert not [name for name in real["bedrock"] if "/" in name]
    assert not [name for name in real["azure"] if name.startswith(("eu/", "us/"))]
    assert "dall-e-3" not in real["openai"]  # image generation
    assert "whisper-1" not in real["openai"]  # audio


def test_claude_schema_support_means_native_structured_output(
    real: dict[str, dict[str, dict[str, object]]],
) -> None:
    # LiteLLM says supports_response_schema for both; only 4.5 takes a real schema.
    assert real["anthropic"]["claude-sonnet-4-5"]["supports_json_schema"] is True
    assert real["vertexai"]["claude-3-5-sonnet@20240620"]["supports_json_schema"] is False


def test_a_prefixed_key_wins_over_the_bare_one() -> None:
    text = json.dumps(
        {
            "deepseek-chat": {
                "litellm_provider": "deepseek",
                "mode": "chat",
                "input_cost_per_token": 1e-06,
            },
            "deepseek/deepseek-chat": {
                "litellm_provider": "deepseek",
                "mode": "chat",
                "input_cost_per_token": 2e-06,
                "max_output_tokens": 8192,
            },
        }
    )

    [entry] = parse_catalogue(text)["deepseek"]

    assert entry == {"name": "deepseek-chat", "input_price": 2.0, "max_output_tokens": 8192}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "JSON object keyed by model"),
        ("{", "not valid JSON"),
        ('{"m": 1}', "'m' should be an object"),
        (
            '{"m": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": "lots"}}',
            "m: 'max_input_tokens' should be a whole number",
        ),
        (
            '{"m": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": -1}}',
            "m: 'input_cost_per_token' should be a price",
        ),
        (
            '{"m": {"litellm_provider": "openai", "mode": "chat", "supports_vision": "yes"}}',
            "m: 'supports_vision' should be true or false",
        ),
    ],
)
def test_malformed_catalogue_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
raw_entries = st.fixed_dictionaries(
    {"litellm_provider": st.sampled_from(["openai", "gemini", "groq", "nosuch"])},
    optional={
        "mode": st.sampled_from(["chat", "embedding", "rerank", "image_generation"]),
        "max_input_tokens": json_values,
        "input_cost_per_token": json_values,
        "supports_vision": json_values,
        "output_vector_size": json_values,
        "deprecation_date": json_values,
    },
)


@given(st.dictionaries(st.text(min_size=1, max_size=12), raw_entries | json_values, max_size=5))
def test_anything_parses_or_is_a_catalogue_error_and_survives_generation(data: object) -> None:
    try:
        catalogue = parse_catalogue(json.dumps(data))
    except CatalogueError:
        return
    for provider, entries in catalogue.items():
        assert read_module(render_module(provider, entries, "litellm")) == (provider, entries)


def test_litellm_wins_aichat_fills_rules_last_each_with_its_source() -> None:
    registry = Registry.from_catalogues(
        {
            "aichat": {
                "anthropic": (
                    {"name": "claude-x", "max_output_tokens": 8192, "supports_vision": True},
                    {
                        "name": "claude-x:thinking",
                        "api_name": "claude-x",
                        "thinking_budget": 16000,
                    },
                )
            },
            "litellm": {
                "anthropic": (
                    {"name": "claude-x", "max_output_tokens": 64000, "input_price": 3.0},
                ),
            },
        }
    )

    model = resolve("anthropic/claude-x", registry=registry)
    variant = resolve("anthropic/claude-x:thinking", registry=registry)

    assert (model.max_output_tokens, model.source("max_output_tokens")) == (64000, "litellm")
    assert (model.supports_vision, model.source("supports_vision")) == (True, "aichat")
    # Claude's cache prices are a share of the input price, by fluent-ai's rule.
    assert (model.cached_input_price, model.source("cached_input_price")) == (0.3, "rule")
    assert model.source("output_price") is None
    # The variant states its budget, and inherits what it does not state.
    assert (variant.thinking_budget, variant.source("thinking_budget")) == (16000, "aichat")
    assert (variant.input_price, variant.source("input_price")) == (3.0, "litellm")
    assert variant.supports_thinking


def test_recorded_traffic_overrides_the_catalogues() -> None:
    registry = Registry.from_catalogues(
        {"litellm": {"deepseek": ({"name": "deepseek-reasoner", "supports_tools": False},)}}
    )

    model = resolve("deepseek/deepseek-reasoner", registry=registry)

    assert (model.supports_tools, model.source("supports_tools")) == (True, "recording")
