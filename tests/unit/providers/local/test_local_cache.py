"""Where converted models are cached, how entries are named, and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fluent_ai.providers.local.cache import (
    cache_key,
    default_cache_dir,
    discard,
    write_atomically,
)
from fluent_ai.providers.local.catalog import SMOLLM2


def test_the_cache_root_variable_wins_over_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FLUENT_AI_CACHE_DIR", str(tmp_path / "root"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "root" / "models"
    monkeypatch.delenv("FLUENT_AI_CACHE_DIR")
    assert default_cache_dir() == tmp_path / "xdg" / "fluent-ai" / "models"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "fluent-ai" / "models"


def test_the_key_names_the_model_and_changes_with_the_file(tmp_path: Path) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    first = cache_key(SMOLLM2, gguf)
    assert first.startswith("smollm2-135m-instruct-")
    assert cache_key(SMOLLM2, gguf) == first
    stat = gguf.stat()
    os.utime(gguf, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert cache_key(SMOLLM2, gguf) != first


def test_an_entry_appears_whole_under_its_final_name(tmp_path: Path) -> None:
    target = tmp_path / "models" / "entry"

    def write(directory: Path) -> None:
        assert directory.parent == target.parent
        assert not target.exists()
        (directory / "weights").write_text("w")

    assert write_atomically(target, write)
    assert (target / "weights").read_text() == "w"
    assert [p.name for p in target.parent.iterdir()] == ["entry"]


def test_an_entry_finished_first_by_another_process_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    target.mkdir()
    (target / "weights").write_text("theirs")

    def write(directory: Path) -> None:
        (directory / "weights").write_text("ours")

    assert not write_atomically(target, write)
    assert (target / "weights").read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    def fail(directory: Path) -> None:
        (directory / "half").write_text("h")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(tmp_path / "entry", fail)
    assert list(tmp_path.iterdir()) == []


def test_a_discarded_entry_is_gone(tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    entry.mkdir()
    (entry / "weights").write_text("w")
    discard(entry)
    assert list(tmp_path.iterdir()) == []
