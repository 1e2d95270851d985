"""Where built graphs are cached, how entries are named, file digests, and atomic writes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from fluent_ai.onnx.cache import (
    default_cache_dir,
    discard,
    entry_name,
    file_digest,
    write_atomically,
)


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


def test_the_name_keeps_the_model_and_changes_with_every_part() -> None:
    first = entry_name("smollm2-135m-instruct", ["gguf=ab", "builder=1"])
    assert first.startswith("smollm2-135m-instruct-")
    assert entry_name("smollm2-135m-instruct", ["gguf=ab", "builder=1"]) == first
    assert entry_name("smollm2-135m-instruct", ["gguf=ab", "builder=2"]) != first


def test_the_digest_is_the_content_hash_and_follows_an_edit(tmp_path: Path) -> None:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF one")
    cache = tmp_path / "cache"
    first = file_digest(weights, cache)
    assert first == hashlib.sha256(b"GGUF one").hexdigest()
    assert file_digest(weights, cache) == first  # now from the memo
    weights.write_bytes(b"GGUF two")
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert file_digest(weights, cache) == hashlib.sha256(b"GGUF two").hexdigest()


def test_a_remembered_digest_is_not_trusted_for_a_changed_file(tmp_path: Path) -> None:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF one")
    cache = tmp_path / "cache"
    file_digest(weights, cache)
    (memo,) = (cache / ".digests").iterdir()
    memo.write_text('{"identity": "someone else", "sha256": "0"}')
    assert file_digest(weights, cache) == hashlib.sha256(b"GGUF one").hexdigest()


def test_an_unwritable_cache_still_gives_the_digest(tmp_path: Path) -> None:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF")
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be")
    assert file_digest(weights, blocker) == hashlib.sha256(b"GGUF").hexdigest()


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
