"""Incremental regeneration: only changed providers are rewritten, atomically, idempotently."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fluent_ai.models.aichat import parse_catalogue
from fluent_ai.models.entry import Catalogue
from fluent_ai.models.generated import render_module
from fluent_ai.models.regenerate import regenerate
from tests.unit.models.conftest import REPO


def snapshot(directory: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file's bytes, modification time and inode: a rewrite changes the last two."""
    return {
        path.name: (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino)
        for path in sorted(directory.iterdir())
    }


@pytest.fixture
def current(current_text: str) -> Catalogue:
    return parse_catalogue(current_text)


@pytest.fixture
def previous(previous_text: str) -> Catalogue:
    return parse_catalogue(previous_text)


def test_first_generation_writes_every_provider(current: Catalogue, tmp_path: Path) -> None:
    result = regenerate(current, tmp_path)

    assert not result.full
    assert result.written == tuple(sorted(f"{provider}.py" for provider in current))
    assert len(result.changes.added) == 302
    assert (tmp_path / "__init__.py").exists()


def test_second_run_changes_no_byte(current: Catalogue, tmp_path: Path) -> None:
    regenerate(current, tmp_path)
    before = snapshot(tmp_path)

    again = regenerate(current, tmp_path)

    assert not again.changes
    assert not again.writes
    assert not again.deletes
    assert snapshot(tmp_path) == before


def test_previous_to_current_rewrites_only_changed_providers(
    previous: Catalogue, current: Catalogue, tmp_path: Path
) -> None:
    regenerate(previous, tmp_path)
    before = snapshot(tmp_path)

    result = regenerate(current, tmp_path)

    after = snapshot(tmp_path)
    changed = result.changes.providers
    assert not result.full, result.reasons
    assert result.written == tuple(sorted(f"{p}.py" for p in changed if p in current))
    assert result.deletes == ("lingyiwanwu.py",)
    assert "lingyiwanwu.py" not in after
    unchanged = [name for name in after if name.removesuffix(".py") not in changed]
    assert sorted(unchanged) == ["__init__.py", "jina.py", "voyageai.py"]
    for name in unchanged:
        assert after[name] == before[name], f"{name} was rewritten"
    for provider, entries in current.items():
        assert after[f"{provider}.py"][0] == render_module(provider, entries).encode()


def test_dry_run_reports_and_writes_nothing(
    previous: Catalogue, current: Catalogue, tmp_path: Path
) -> None:
    regenerate(previous, tmp_path)
    before = snapshot(tmp_path)

    plan = regenerate(current, tmp_path, dry_run=True)

    assert snapshot(tmp_path) == before
    assert plan.changes == regenerate(current, tmp_path).changes


def test_malformed_module_triggers_full_regeneration(current: Catalogue, tmp_path: Path) -> None:
    regenerate(current, tmp_path)
    (tmp_path / "openai.py").write_text("MODELS = ({'name': ", encoding="utf-8")
    before = snapshot(tmp_path)

    result = regenerate(current, tmp_path)

    assert result.full
    assert any(reason.startswith("openai.py: not valid Python") for reason in result.reasons)
    assert result.written == ("openai.py",)
    after = snapshot(tmp_path)
    assert after["openai.py"][0] == render_module("openai", current["openai"]).encode()
    assert all(after[name] == before[name] for name in after if name != "openai.py")
    assert not regenerate(current, tmp_path).writes


def test_hand_edit_without_model_change_triggers_full_regeneration(
    current: Catalogue, tmp_path: Path
) -> None:
    regenerate(current, tmp_path)
    path = tmp_path / "mistral.py"
    path.write_text(path.read_text(encoding="utf-8").replace("    {", "  {"), encoding="utf-8")

    result = regenerate(current, tmp_path)

    assert not result.changes
    assert result.full
    assert result.reasons == (
        "mistral.py: differs from the catalogue although none of its models changed",
    )
    assert path.read_bytes() == render_module("mistral", current["mistral"]).encode()


def test_foreign_files_are_cleared_by_full_regeneration(current: Catalogue, tmp_path: Path) -> None:
    regenerate(current, tmp_path)
    (tmp_path / "notes.py").write_text("print('hello')\n", encoding="utf-8")
    (tmp_path / ".openai.py.abc.tmp").write_text("half a fi", encoding="utf-8")

    result = regenerate(current, tmp_path)

    assert result.full
    assert result.deletes == ("notes.py",)
    assert not (tmp_path / "notes.py").exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_removed_provider_module_is_deleted_incrementally(
    current: Catalogue, tmp_path: Path
) -> None:
    regenerate({**current, "gone": ({"name": "old-model"},)}, tmp_path)

    result = regenerate(current, tmp_path)

    assert not result.full
    assert [c.id for c in result.changes.removed] == ["gone/old-model"]
    assert result.deletes == ("gone.py",)
    assert not result.writes


def test_failed_write_leaves_the_old_file(
    previous: Catalogue, current: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regenerate(previous, tmp_path)
    before = snapshot(tmp_path)

    def no_space(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OSError, match="No space"):
        regenerate(current, tmp_path)

    assert snapshot(tmp_path) == before
    monkeypatch.undo()
    assert not regenerate(current, tmp_path).full


CRASH = textwrap.dedent(
    """
    import os, pathlib, sys
    from fluent_ai.models.aichat import parse_catalogue
    from fluent_ai.models.regenerate import regenerate

    real_open = pathlib.Path.open

    class HalfWriter:
        def __init__(self, file):
            self.file = file
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
        def write(self, data):
            # The power fails half way through the first module.
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            os._exit(9)

    def crashing_open(self, mode="r", *args, **kwargs):
        file = real_open(self, mode, *args, **kwargs)
        return HalfWriter(file) if mode == "xb" else file

    pathlib.Path.open = crashing_open
    catalogue = parse_catalogue(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    regenerate(catalogue, pathlib.Path(sys.argv[2]))
    """
)


def test_crash_mid_write_leaves_the_old_file_intact(
    previous: Catalogue, current: Catalogue, tmp_path: Path
) -> None:
    from tests.unit.models.conftest import CURRENT

    regenerate(previous, tmp_path)
    before = snapshot(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    crashed = subprocess.run(
        [sys.executable, "-c", CRASH, str(CURRENT), str(tmp_path)], env=env, check=False
    )

    assert crashed.returncode == 9
    [half] = tmp_path.glob(".*.tmp")
    assert half.name.startswith(".ai21.py.")
    after = {name: value for name, value in snapshot(tmp_path).items() if name != half.name}
    assert after == before
    # The next run clears the debris and finishes the job.
    result = regenerate(current, tmp_path)
    assert not result.full
    assert not list(tmp_path.glob(".*.tmp"))
    assert not regenerate(current, tmp_path).writes
