"""Choosing a model from a ``provider/model`` string, and the result type."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.embeddings import (
    EmbeddingModel,
    Embeddings,
    HttpEmbeddingModel,
    LocalEmbeddingModel,
    embedding_provider_names,
    get_embedding_model,
)
from fluent_ai.embeddings.catalog import split_spec
from fluent_ai.types import ConfigurationError, LocalModelError, MissingAPIKeyError


def test_specs_split_into_provider_and_model() -> None:
    assert split_spec("OpenAI/text-embedding-3-small") == ("openai", "text-embedding-3-small")
    assert split_spec("ollama/hf.co/org/model:q4") == ("ollama", "hf.co/org/model:q4")
    assert split_spec("google/gemini-embedding-001") == ("gemini", "gemini-embedding-001")
    assert split_spec("cohere") == ("cohere", None)
    with pytest.raises(ConfigurationError, match="provider/model"):
        split_spec("/model")


def test_every_provider_is_listed() -> None:
    assert embedding_provider_names() == [
        "cohere",
        "gemini",
        "jina",
        "local",
        "mistral",
        "ollama",
        "openai",
        "openai-compatible",
        "voyage",
    ]


def test_a_provider_alone_gets_its_default_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COHERE_API_KEY", "co-key")
    model = get_embedding_model("cohere")
    assert isinstance(model, HttpEmbeddingModel)
    assert (model.provider, model.model, model.batch_size) == ("cohere", "embed-v4.0", 96)
    assert model.base_url == "https://api.cohere.com/v2"
    assert isinstance(model, EmbeddingModel)


def test_a_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOYAGE_API_KEY", raising=False)
    with pytest.raises(MissingAPIKeyError, match="VOYAGE_API_KEY"):
        get_embedding_model("voyage/voyage-3.5")


def test_the_key_stays_out_of_repr() -> None:
    model = get_embedding_model("openai/text-embedding-3-small", api_key="sk-secret-abcdefgh1234")
    assert "sk-secret" not in repr(model)


def test_bad_options_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="unknown embedding provider 'acme'"):
        get_embedding_model("acme/model")
    with pytest.raises(ConfigurationError, match="base URL"):
        get_embedding_model("openai-compatible/bge")
    with pytest.raises(ConfigurationError, match="between 1 and 96"):
        get_embedding_model("cohere/embed-v4.0", api_key="k", batch_size=97)
    with pytest.raises(ConfigurationError, match="dimensions"):
        get_embedding_model("openai/m", api_key="k", dimensions=0)
    with pytest.raises(ConfigurationError, match="concurrency"):
        get_embedding_model("openai/m", api_key="k", concurrency=0)


def test_ollama_needs_no_key_and_takes_any_batch_size() -> None:
    model = get_embedding_model("ollama/nomic-embed-text", batch_size=5000)
    assert isinstance(model, HttpEmbeddingModel)
    assert (model.base_url, model.batch_size) == ("http://localhost:11434", 5000)


def test_openai_compatible_servers_use_the_openai_wire() -> None:
    model = get_embedding_model("openai-compatible/bge-m3", base_url="http://gpu-box:8000/v1/")
    assert isinstance(model, HttpEmbeddingModel)
    assert (model.provider, model.base_url) == ("openai-compatible", "http://gpu-box:8000/v1")


def test_the_local_model_is_the_default_and_is_not_loaded_yet() -> None:
    model = get_embedding_model()
    assert isinstance(model, LocalEmbeddingModel)
    assert (model.provider, model.model, model.dimensions) == ("local", "all-minilm-l6-v2", 384)
    assert get_embedding_model("local/All-MiniLM-L6-v2", batch_size=8).model == "all-minilm-l6-v2"


def test_local_options_that_cannot_apply_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="unknown local embedding model"):
        get_embedding_model("local/bge-large")
    with pytest.raises(ConfigurationError, match="384-dimension"):
        get_embedding_model("local", dimensions=128)
    with pytest.raises(ConfigurationError, match="no api_key or base_url"):
        get_embedding_model("local", base_url="http://x")


async def test_without_the_extra_the_local_model_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fluent_ai.embeddings import local_runtime

    # an import name that is never installed, reported as onnxruntime
    monkeypatch.setitem(local_runtime.REQUIRED, "fluent_ai_absent_onnxruntime", "onnxruntime")
    # a cache of its own, so that a model loaded by another test is not reused
    model = LocalEmbeddingModel(cache_dir=tmp_path, progress=False)
    with pytest.raises(
        LocalModelError, match=r"needs? onnxruntime, not installed.*fluent-ai\[embeddings\]"
    ):
        await model.embed(["hello"])


def test_embeddings_behave_as_a_sequence_and_convert_to_numpy() -> None:
    result = Embeddings([[1.0, 0.0], [0.5, 0.5]], "m", "p")
    assert (len(result), result.dimensions, result[1], list(result)) == (
        2,
        2,
        [0.5, 0.5],
        [[1.0, 0.0], [0.5, 0.5]],
    )
    matrix = result.to_numpy()
    assert (matrix.shape, str(matrix.dtype)) == ((2, 2), "float32")
    assert Embeddings([], "m", "p").to_numpy().shape == (0, 0)
