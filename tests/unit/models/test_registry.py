"""Resolving model names, and the lazy registry behind it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fluent_ai.models import ModelInfo, Registry, UnknownModelError, resolve, suggestions
from fluent_ai.models.aichat import parse_catalogue
from fluent_ai.models.entry import Entry
from fluent_ai.models.errors import GeneratedDataError
from fluent_ai.models.regenerate import regenerate
from tests.unit.models.conftest import REPO


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("anthropic/claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5-20250929"),
        ("claude/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
        ("Anthropic/Claude-Sonnet-4-5", "anthropic/claude-sonnet-4-5"),
        ("claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
        ("anthropic/claude-sonnet-4-5:thinking", "anthropic/claude-sonnet-4-5-20250929:thinking"),
        ("gemini/gemini-2.5-pro", "google/gemini-2.5-pro"),
        ("gemini-2.5-pro", "google/gemini-2.5-pro"),
        ("vertexai/claude-sonnet-4-5@20250929", "vertexai/claude-sonnet-4-5@20250929"),
        ("gpt-4o-mini", "openai/gpt-4o-mini"),
        ("openai/gpt-4.1-mini", "openai/gpt-4.1-mini"),
        ("o3-mini", "openai/o3-mini"),
        ("gpt-4o-2024-08-06", "openai/gpt-4o-2024-08-06"),
        ("vertex/claude-3-5-sonnet@20240620", "vertexai/claude-3-5-sonnet@20240620"),
        (
            "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
            "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
        ),
        ("gpt-4o", "openai/gpt-4o"),
        ("openrouter/openai/gpt-4o", "openrouter/openai/gpt-4o"),
        ("meta-llama/llama-4-scout", "openrouter/meta-llama/llama-4-scout"),
        ("groq/llama-3.3-70b-versatile", "groq/llama-3.3-70b-versatile"),
        ("local/smollm2", "local/smollm2"),
        ("smollm2", "local/smollm2"),
        ("local/SmolLM2-135M-Instruct", "local/smollm2"),
        ("local/all-MiniLM-L6-v2", "local/all-minilm-l6-v2"),
        ("  openai/gpt-5  ", "openai/gpt-5"),
    ],
)
def test_resolve(reference: str, expected: str) -> None:
    model = resolve(reference)

    assert model.id == expected
    assert model.known


def test_undated_name_of_a_dated_model_and_back() -> None:
    dated = resolve("anthropic/claude-sonnet-4-5-20250929:thinking")

    assert "claude-sonnet-4-5:thinking" in dated.aliases
    assert resolve("anthropic/claude-sonnet-4-5:thinking") == dated


@pytest.mark.parametrize(
    ("dated", "undated"),
    [
        ("openai/gpt-4o-2099-12-31", "openai/gpt-4o"),
        ("anthropic/claude-opus-4-6-20991231", "anthropic/claude-opus-4-6"),
        ("vertexai/gemini-2.5-pro@20991231", "vertexai/gemini-2.5-pro"),
        (
            "bedrock/us.anthropic.claude-opus-4-6-20991231-v1",
            "bedrock/us.anthropic.claude-opus-4-6-v1",
        ),
    ],
)
def test_an_unlisted_snapshot_in_each_vendor_style_is_its_model(dated: str, undated: str) -> None:
    snapshot, model = resolve(dated), resolve(undated)

    assert snapshot.id == snapshot.provider + "/" + snapshot.api_name == dated
    assert (snapshot.input_price, snapshot.max_output_tokens) == (
        model.input_price,
        model.max_output_tokens,
    )
    assert snapshot.input_price is not None


def test_a_listed_snapshot_has_its_own_prices() -> None:
    assert resolve("openai/gpt-4o-2024-05-13").input_price == 5.0
    assert resolve("openai/gpt-4o").input_price == 2.5


def test_dated_snapshot_of_an_undated_model_keeps_the_date() -> None:
    undated = resolve("anthropic/claude-opus-4-6")

    dated = resolve("anthropic/claude-opus-4-6-20260205")

    assert dated.name == dated.api_name == "claude-opus-4-6-20260205"
    assert dated.max_input_tokens == undated.max_input_tokens
    assert dated.input_price == undated.input_price
    assert dated.known


def test_thinking_variant_sends_the_real_name() -> None:
    model = resolve("anthropic/claude-sonnet-4-6:thinking")

    assert model.api_name == "claude-sonnet-4-6"
    assert model.supports_thinking
    assert model.thinking_budget == 16000


def test_model_info_of_a_well_known_model() -> None:
    model = resolve("openai/gpt-4o")

    assert model.kind == "chat"
    assert (model.max_input_tokens, model.max_output_tokens) == (128000, 16384)
    assert (model.input_price, model.output_price, model.cached_input_price) == (2.5, 10.0, 1.25)
    assert model.supports("vision")
    assert model.supports("tools")
    assert model.supports("json_schema")
    assert model.supports("streaming")
    assert not model.supports("thinking")


def test_embedding_and_local_models() -> None:
    embedding = resolve("openai/text-embedding-3-large")
    minilm = resolve("local/all-minilm-l6-v2")
    smollm = resolve("local/smollm2")

    assert (embedding.kind, embedding.embedding_dimensions, embedding.max_batch_size) == (
        "embedding",
        3072,
        100,
    )
    assert embedding.max_tokens_per_text == 8191
    assert not embedding.supports_streaming
    assert (minilm.kind, minilm.embedding_dimensions) == ("embedding", 384)
    assert smollm.max_input_tokens == 8192
    assert (smollm.input_price, smollm.output_price) == (0.0, 0.0)
    assert smollm.supports_streaming


def test_kind_picks_between_models_sharing_a_name() -> None:
    assert resolve("jina/jina-colbert-v2").kind == "embedding"
    assert resolve("jina/jina-colbert-v2", kind="reranker").kind == "reranker"
    with pytest.raises(UnknownModelError, match="of kind 'embedding', not 'chat'"):
        resolve("openai/text-embedding-3-small", kind="chat")


def test_unknown_model_on_a_known_provider_still_works() -> None:
    model = resolve("claude/claude-opus-9")

    assert model == ModelInfo(
        provider="anthropic", name="claude-opus-9", supports_streaming=True, known=False
    )
    assert model.max_input_tokens is None
    assert model.input_price is None
    assert not model.has_prices


@pytest.mark.parametrize(
    ("reference", "provider", "name"),
    [
        ("ollama/llama3.2", "ollama", "llama3.2"),
        ("openai-compatible/my-model", "openai-compatible", "my-model"),
        ("hf/meta-llama/Llama-3.1-8B-Instruct", "huggingface", "meta-llama/Llama-3.1-8B-Instruct"),
    ],
)
def test_providers_without_catalogue_data(reference: str, provider: str, name: str) -> None:
    model = resolve(reference)

    assert (model.provider, model.name, model.known) == (provider, name, False)


def test_strict_refuses_unknown_models() -> None:
    with pytest.raises(UnknownModelError) as caught:
        resolve("anthropic/claude-sonet-4-5", strict=True)

    assert len(caught.value.suggestions) == 3
    assert caught.value.suggestions[0] == "anthropic/claude-sonnet-4-5"


@pytest.mark.parametrize(
    ("reference", "closest"),
    [
        ("gpt-4oo", "openai/gpt-4o"),
        ("claude-sonet-4-5", "anthropic/claude-sonnet-4-5"),
        ("nosuchprovider/gpt-4o", "openai/gpt-4o"),
        ("openai/not a model", None),
        ("", None),
    ],
)
def test_unknown_model_error_lists_the_three_closest(reference: str, closest: str | None) -> None:
    with pytest.raises(UnknownModelError) as caught:
        resolve(reference)

    found = caught.value.suggestions
    assert len(found) == len(set(found)) == 3
    if closest is not None:
        assert found[0] == closest
    assert all(resolve(name).known for name in found)
    assert ", ".join(found) in str(caught.value)


def test_suggestions_for_a_qualified_typo() -> None:
    assert suggestions("mistral/mistral-larg-latest")[0] == "mistral/mistral-large-latest"


def test_registry_from_entries_and_directory(current_text: str, tmp_path: Path) -> None:
    catalogue = parse_catalogue(current_text)
    regenerate(catalogue, tmp_path / "aichat")

    from_disk = Registry.from_directory(tmp_path)
    in_memory = Registry.from_entries(catalogue)

    assert from_disk.models() == in_memory.models()
    assert len(from_disk.models()) == 302 + 2
    assert from_disk.providers[0] == "local"


def test_registry_from_a_broken_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "aichat").mkdir()
    (tmp_path / "aichat" / "openai.py").write_text("MODELS = (", encoding="utf-8")

    with pytest.raises(GeneratedDataError, match=r"aichat/openai\.py"):
        Registry.from_directory(tmp_path)


def test_snapshot_alias_rules() -> None:
    entries: tuple[Entry, ...] = (
        {"name": "model-x-20240101"},
        {"name": "model-x-20250101"},
        {"name": "model-y"},
        {"name": "model-y-20250101"},
    )
    registry = Registry.from_entries({"acme": entries})

    assert resolve("acme/model-x", registry=registry).name == "model-x-20250101"
    assert resolve("acme/model-y", registry=registry).name == "model-y"
    assert resolve("acme/model-x-20240101", registry=registry).name == "model-x-20240101"


def test_listing_filters(current_text: str) -> None:
    registry = Registry.from_entries(parse_catalogue(current_text))

    assert {m.provider for m in registry.models("anthropic")} == {"anthropic"}
    assert {m.kind for m in registry.models(kind="reranker")} == {"reranker"}
    with pytest.raises(KeyError):
        registry.provider("nosuch")


def run_python(code: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_import_reads_no_data_and_a_lookup_reads_one_provider() -> None:
    report = run_python(
        """
import json, sys
import fluent_ai
plain = sorted(m for m in sys.modules if m.startswith("fluent_ai.models._generated."))
import fluent_ai.models
on_import = sorted(m for m in sys.modules if m.startswith("fluent_ai.models._generated."))
heavy = sorted(m for m in ("yaml", "httpx", "rich", "typer") if m in sys.modules)
fluent_ai.models.resolve("claude/claude-sonnet-4-5")
after = sorted(m for m in sys.modules if m.startswith("fluent_ai.models._generated."))
print(json.dumps({"plain": plain, "import": on_import, "heavy": heavy, "after": after}))
"""
    )

    assert report["plain"] == []
    assert report["import"] == []
    assert report["heavy"] == []
    assert report["after"] == [
        "fluent_ai.models._generated.aichat",
        "fluent_ai.models._generated.aichat.anthropic",
        "fluent_ai.models._generated.litellm",
        "fluent_ai.models._generated.litellm.anthropic",
    ]


def test_the_whole_registry_loads_with_every_model_once() -> None:
    registry = Registry.from_package()

    models = registry.models()

    assert len(models) > 1500
    assert len({(model.id, model.kind) for model in models}) == len(models)
