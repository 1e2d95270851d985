"""Loader steps that need no model: a damaged cache entry, the GGUF quantizer, progress."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fluent_ai.providers.local.loader import _drop_gguf_quantizer, _from_cache
from fluent_ai.providers.local.progress import LoadProgress
from fluent_ai.types import LocalModelError


class Unreadable:
    @staticmethod
    def from_pretrained(path: Path) -> Any:
        raise OSError(f"no file named tokenizer.json in {path}")


def test_an_unreadable_cache_entry_is_discarded(tmp_path: Path) -> None:
    entry = tmp_path / "smollm2-135m-instruct-0123456789ab"
    entry.mkdir()
    fake_transformers = SimpleNamespace(AutoTokenizer=Unreadable, AutoModelForCausalLM=Unreadable)
    assert _from_cache(fake_transformers, entry, LoadProgress("t", 3, enabled=False)) is None
    assert list(tmp_path.iterdir()) == []


def parameter(floating: bool) -> Any:
    return SimpleNamespace(dtype=SimpleNamespace(is_floating_point=floating))


class FakeModel:
    def __init__(self, *floating: bool) -> None:
        self.removed = False
        self.hf_quantizer = SimpleNamespace(remove_quantization_config=self._remove)
        self._parameters = [(f"w{i}", parameter(f)) for i, f in enumerate(floating)]

    def _remove(self, model: Any) -> None:
        assert model is self
        self.removed = True

    def named_parameters(self) -> list[tuple[str, Any]]:
        return self._parameters


def test_a_dense_model_loses_its_gguf_quantizer() -> None:
    model = FakeModel(True, True)
    _drop_gguf_quantizer(model, Path("m.gguf"))
    assert model.removed


def test_packed_weights_are_refused_rather_than_cached() -> None:
    model = FakeModel(True, False)
    with pytest.raises(LocalModelError, match="w1"):
        _drop_gguf_quantizer(model, Path("m.gguf"))
    assert not model.removed


def test_a_silent_load_writes_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    with LoadProgress("local/m", 2, enabled=False) as bar:
        bar.stage("one")
        assert list(bar.track([1, 2], "items")) == [1, 2]
        bar.close("done")
    assert capfd.readouterr() == ("", "")


def test_the_progress_line_names_each_stage_and_the_summary(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with LoadProgress("local/m", 2) as bar:
        bar.stage("importing")
        bar.stage("loading")
        assert list(bar.track(range(3), "tensors")) == [0, 1, 2]
        bar.close("ready in 1.0s")
    err = capfd.readouterr().err
    assert "local/m: importing" in err
    assert "local/m: loading" in err
    assert "local/m: ready in 1.0s [2/2" in err
