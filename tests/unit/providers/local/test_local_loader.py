"""Loader steps that need no model: a damaged cache entry, and the progress display."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.onnx.progress import BuildProgress
from fluent_ai.providers.local.loader import _open
from fluent_ai.types import LocalModelError


def test_an_unreadable_cache_entry_is_discarded(tmp_path: Path) -> None:
    entry = tmp_path / "smollm2-135m-instruct-0123456789ab"
    entry.mkdir()
    (entry / "tokenizer.json").write_text("{not json")
    assert _open(entry) is None
    assert list(tmp_path.iterdir()) == []


def test_an_entry_just_built_that_cannot_be_opened_is_an_error(tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    entry.mkdir()
    with pytest.raises(LocalModelError, match="cannot be opened"):
        _open(entry, discard_damaged=False)
    assert entry.is_dir()


def test_the_counter_line_counts_and_goes_away(capfd: pytest.CaptureFixture[str]) -> None:
    with BuildProgress("local/m", 1) as bar:
        bar.stage("building")
        count = bar.counter("tensors")
        for done in range(1, 4):
            count(done, 3)
        bar.close("built")
    assert "tensors" in capfd.readouterr().err


def test_a_silent_load_writes_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    with BuildProgress("local/m", 2, enabled=False) as bar:
        bar.stage("one")
        bar.counter("items")(1, 2)
        bar.close("done")
    assert capfd.readouterr() == ("", "")


def test_the_progress_line_names_each_stage_and_the_summary(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with BuildProgress("local/m", 2) as bar:
        bar.stage("importing")
        bar.stage("loading")
        count = bar.counter("tensors")
        for done in range(1, 4):
            count(done, 3)
        bar.close("ready in 1.0s")
    err = capfd.readouterr().err
    assert "local/m: importing" in err
    assert "local/m: loading" in err
    assert "local/m: ready in 1.0s [2/2" in err
