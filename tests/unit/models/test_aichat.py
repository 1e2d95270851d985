"""Reading the catalogue: the real files, the normalised fields, and malformed input."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fluent_ai.models.aichat import parse_catalogue, thinking_budget
from fluent_ai.models.errors import CatalogueError
from fluent_ai.models.generated import read_module, render_module


def test_current_catalogue(current_text: str) -> None:
    catalogue = parse_catalogue(current_text)

    assert len(catalogue) == 24
    assert sum(len(entries) for entries in catalogue.values()) == 302
    assert {"anthropic", "google", "openai"} <= catalogue.keys()
    assert not {"claude", "gemini"} & catalogue.keys()


def test_previous_catalogue_with_its_trailing_tab(previous_text: str) -> None:
    # models.previous.yaml has "name: mistralai/pixtral-12b<TAB>", which PyYAML rejects.
    assert "pixtral-12b\t\n" in previous_text

    catalogue = parse_catalogue(previous_text)

    names = [entry["name"] for entry in catalogue["openrouter"]]
    assert "mistralai/pixtral-12b" in names
    assert sum(len(entries) for entries in catalogue.values()) == 299


def test_fields_are_normalised(current_text: str) -> None:
    anthropic = {entry["name"]: entry for entry in parse_catalogue(current_text)["anthropic"]}

    assert anthropic["claude-sonnet-4-6:thinking"] == {
        "name": "claude-sonnet-4-6:thinking",
        "api_name": "claude-sonnet-4-6",
        "max_input_tokens": 200000,
        "max_output_tokens": 24000,
        "input_price": 3.0,
        "output_price": 15.0,
        "supports_vision": True,
        "supports_tools": True,
        "thinking_budget": 16000,
    }


@pytest.mark.parametrize(
    ("name", "provider"),
    [
        ("claude", "anthropic"),
        ("Gemini", "google"),
        ("x-ai", "xai"),
        ("new-cloud", "new_cloud"),
        ("9lives", "p_9lives"),
    ],
)
def test_catalogue_provider_names_become_module_names(name: str, provider: str) -> None:
    assert list(parse_catalogue(f"- provider: {name}\n  models: []\n")) == [provider]


def test_same_name_different_kind_are_two_models(current_text: str) -> None:
    jina = parse_catalogue(current_text)["jina"]

    colbert = [entry for entry in jina if entry["name"] == "jina-colbert-v2"]

    assert [entry.get("kind") for entry in colbert] == ["embedding", "reranker"]


def test_entries_are_sorted_so_reordering_is_no_change() -> None:
    forward = "- provider: x\n  models:\n    - name: b\n    - name: a\n"
    backward = "- provider: x\n  models:\n    - name: a\n    - name: b\n"

    assert parse_catalogue(forward) == parse_catalogue(backward)


def test_thinking_budget_found_wherever_the_patch_nests_it() -> None:
    anthropic = {"body": {"thinking": {"type": "enabled", "budget_tokens": 16000}}}
    bedrock = {
        "body": {
            "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 8000}}
        }
    }

    assert thinking_budget(anthropic) == 16000
    assert thinking_budget(bedrock) == 8000
    assert thinking_budget({"body": {"thinking": {"type": "disabled"}}}) is None
    assert thinking_budget(None) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- provider: [unclosed\n", "not valid YAML"),
        ("provider: openai\n", "list of provider sections"),
        ("", "list of provider sections"),
        ("- models: []\n", "no provider name"),
        ("- provider: x\n  models: {a: 1}\n", "'models' should be a list"),
        ("- provider: x\n  models:\n    - max_input_tokens: 5\n", "non-empty string 'name'"),
        ("- provider: x\n  models:\n    - name: m\n      type: image\n", "unknown type"),
        ("- provider: x\n  models:\n    - name: m\n      input_price: cheap\n", "price"),
        ("- provider: x\n  models:\n    - name: m\n      input_price: -1\n", "price"),
        ("- provider: x\n  models:\n    - name: m\n      input_price: .nan\n", "price"),
        ("- provider: x\n  models:\n    - name: m\n      output_price: .inf\n", "price"),
        ("- provider: x\n  models:\n    - name: m\n      max_input_tokens: 1.5\n", "whole"),
        ("- provider: x\n  models:\n    - name: m\n      max_input_tokens: true\n", "whole"),
        ("- provider: x\n  models:\n    - name: m\n      supports_vision: 1\n", "true or false"),
        ("- provider: x\n  models:\n    - name: m\n      real_name: 5\n", "real_name"),
        ("- provider: x\n  models:\n    - name: m\n    - name: m\n", "listed twice"),
        ("- provider: claude\n  models: []\n- provider: anthropic\n  models: []\n", "twice"),
        ("- provider: local\n  models: []\n", "not usable"),
    ],
)
def test_malformed_catalogue_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(text)


def test_truncated_real_catalogue_is_an_error_not_a_crash(current_text: str) -> None:
    # A download cut off mid-way is still YAML up to the cut, or a clear error.
    full = parse_catalogue(current_text)
    for cut in range(0, len(current_text), 997):
        try:
            partial = parse_catalogue(current_text[:cut])
        except CatalogueError:
            continue
        assert partial.keys() <= full.keys()


@given(st.text())
def test_any_text_parses_or_is_a_catalogue_error(text: str) -> None:
    try:
        catalogue = parse_catalogue(text)
    except CatalogueError:
        return
    assert isinstance(catalogue, dict)


SCALARS = st.none() | st.booleans() | st.integers(-2, 10**6) | st.floats() | st.text(max_size=4)


def mostly(valid: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Valid values nine times in ten, anything at all otherwise."""
    return st.integers(0, 9).flatmap(lambda roll: SCALARS if roll == 9 else valid)


COUNTS = mostly(st.integers(0, 10**6))
PRICES = mostly(st.floats(0, 100) | st.integers(0, 100))
FLAGS = mostly(st.booleans())
RAW_MODELS = st.lists(
    st.fixed_dictionaries(
        {"name": mostly(st.text(min_size=1, max_size=4))},
        optional={
            "type": mostly(st.sampled_from(["chat", "embedding", "reranker"])),
            "real_name": mostly(st.text(max_size=4)),
            "max_input_tokens": COUNTS,
            "max_output_tokens": COUNTS,
            "input_price": PRICES,
            "output_price": PRICES,
            "supports_vision": FLAGS,
            "supports_function_calling": FLAGS,
            "max_batch_size": COUNTS,
            "max_tokens_per_chunk": COUNTS,
            "patch": st.dictionaries(
                st.sampled_from(["body", "thinking"]),
                SCALARS | st.just({"thinking": {"type": "enabled", "budget_tokens": 9}}),
            ),
        },
    ),
    max_size=4,
)
RAW_CATALOGUES = st.lists(
    st.fixed_dictionaries(
        {
            "provider": mostly(st.sampled_from(["openai", "claude", "x-y", "9lives"])),
            "models": RAW_MODELS,
        }
    ),
    max_size=3,
)


@settings(max_examples=300)
@given(RAW_CATALOGUES)
def test_whatever_parses_survives_generation(data: object) -> None:
    """Every catalogue is either a clear error or data the generated modules hold exactly."""
    try:
        catalogue = parse_catalogue(yaml.safe_dump(data))
    except CatalogueError:
        return
    for provider, entries in catalogue.items():
        assert read_module(render_module(provider, entries)) == (provider, entries)
