"""``sync`` end to end over loopback HTTP and from files, and ``fluent-ai models sync``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.cli.models import app
from fluent_ai.http import RetryPolicy
from fluent_ai.models import Registry, resolve
from fluent_ai.models.store import MANIFEST, PACKAGE_DIR
from fluent_ai.models.sync import sync
from tests.unit.models import expected
from tests.unit.models.conftest import LITELLM, CatalogueServer
from tests.unit.models.test_changes import as_sets
from tests.unit.models.test_regenerate import snapshot

runner = CliRunner(env={"COLUMNS": "200"})


async def _no_wait(delay: float) -> None:
    pass


FAST = RetryPolicy(max_attempts=2, sleep=_no_wait)


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "data", tmp_path / "downloads"


def test_first_sync_is_measured_against_the_shipped_data(
    server: CatalogueServer, dirs: tuple[Path, Path], previous_text: str, current_text: str
) -> None:
    root, downloads = dirs
    server.serve(previous_text)
    first = sync("aichat", url=server.url, root=root, downloads=downloads, retry=FAST)
    server.serve(current_text)

    second = sync("aichat", url=server.url, root=root, downloads=downloads, retry=FAST)

    assert first.download.source == second.download.source == "downloaded"
    assert as_sets(first.regeneration.changes) == expected.change_set(current_text, previous_text)
    assert as_sets(second.regeneration.changes) == expected.change_set(previous_text, current_text)
    assert not second.regeneration.full
    assert (root / "aichat" / MANIFEST).is_file()


def test_unchanged_catalogue_is_a_304_and_changes_nothing(
    server: CatalogueServer, dirs: tuple[Path, Path], current_text: str
) -> None:
    root, downloads = dirs
    server.serve(current_text)
    first = sync("aichat", url=server.url, root=root, downloads=downloads)
    before = {k: v for k, v in snapshot(root / "aichat").items() if k != MANIFEST}

    report = sync("aichat", url=server.url, root=root, downloads=downloads)

    assert not first.regeneration.changes  # the shipped data is this catalogue
    assert server.statuses == ["200", "304"]
    assert report.download.source == "not-modified"
    assert not report.regeneration.changes
    assert {k: v for k, v in snapshot(root / "aichat").items() if k != MANIFEST} == before


def test_a_synced_litellm_file_changes_what_the_registry_says(tmp_path: Path) -> None:
    data = json.loads(LITELLM.read_text(encoding="utf-8"))
    data["gpt-4o-mini"]["input_cost_per_token"] = 0.2e-06
    changed = tmp_path / "prices.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    root = tmp_path / "data"

    report = sync("litellm", from_file=changed, root=root)

    [change] = report.regeneration.changes
    assert (change.action, change.id) == ("modified", "openai/gpt-4o-mini")
    assert [(f.field, f.old, f.new) for f in change.fields] == [("input_price", 0.15, 0.2)]
    assert report.regeneration.written == ("openai.py",)
    registry = Registry.from_package(root)
    model = resolve("openai/gpt-4o-mini", registry=registry)
    assert (model.input_price, model.source("input_price")) == (0.2, "litellm")
    assert "synced" in registry.origins["litellm"]
    assert registry.origins["aichat"] == "shipped with fluent-ai"


def test_a_sync_by_another_version_is_ignored(tmp_path: Path) -> None:
    root = tmp_path / "data"
    sync("litellm", from_file=LITELLM, root=root)
    manifest = root / "litellm" / MANIFEST
    stale = {**json.loads(manifest.read_text()), "fluent_ai_version": "0.0.0-old"}
    manifest.write_text(json.dumps(stale))

    assert Registry.from_package(root).origins["litellm"] == "shipped with fluent-ai"


def test_sync_writes_into_the_user_cache_never_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLUENT_AI_CACHE_DIR", str(tmp_path / "cache"))
    shipped = modules(PACKAGE_DIR / "litellm")

    report = sync("litellm", from_file=LITELLM)

    assert report.directory == tmp_path / "cache" / "models" / "litellm"
    assert (report.directory / "openai.py").is_file()
    assert modules(PACKAGE_DIR / "litellm") == shipped


def modules(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Each module's bytes and modification time (``__pycache__`` may come and go)."""
    return {
        path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in directory.glob("*.py")
    }


def test_cli_sync_prints_the_change_set(
    server: CatalogueServer, dirs: tuple[Path, Path], previous_text: str, current_text: str
) -> None:
    root, downloads = dirs
    server.serve(previous_text)
    common = ["--url", server.url, "--output", str(root), "--cache-dir", str(downloads)]
    assert runner.invoke(app, ["sync", *common]).exit_code == 0
    server.serve(current_text)

    result = runner.invoke(app, ["sync", *common])

    assert result.exit_code == 0, result.output
    assert "aichat: downloaded" in result.output
    assert "aichat: 227 added, 12 modified, 224 removed." in result.output
    assert "deepseek/deepseek-chat" in result.output
    assert "input_price: 0.27 → 0.56" in result.output
    assert "Deleted lingyiwanwu.py." in result.output


def test_cli_sync_from_a_file_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "data"

    result = runner.invoke(
        app, ["sync", "--from", str(LITELLM), "--output", str(root), "--dry-run"]
    )

    assert result.exit_code == 0, result.output
    assert f"litellm: read {LITELLM}" in result.output
    assert "litellm: 0 added, 0 modified, 0 removed." in result.output
    assert "Would write nothing" in result.output
    assert not root.exists()


def test_cli_sync_cannot_guess_the_catalogue_of_an_odd_file(tmp_path: Path) -> None:
    odd = tmp_path / "catalogue.txt"
    odd.write_text("{}")

    result = runner.invoke(app, ["sync", "--from", str(odd), "--output", str(tmp_path / "d")])

    assert result.exit_code == 1
    assert "add --catalogue litellm or aichat" in result.output


def test_cli_sync_falls_back_to_the_cache_when_the_server_is_gone(
    server: CatalogueServer, dirs: tuple[Path, Path], current_text: str
) -> None:
    root, downloads = dirs
    server.serve(current_text)
    common = ["--url", server.url, "--output", str(root), "--cache-dir", str(downloads)]
    runner.invoke(app, ["sync", *common])
    server.stop()

    result = runner.invoke(app, ["sync", *common, "--timeout", "5"])

    assert result.exit_code == 0, result.output
    assert "download failed" in result.output
    assert "using the cached copy" in result.output
    assert "0 added, 0 modified, 0 removed." in result.output


def test_cli_sync_reports_a_malformed_catalogue_and_keeps_the_data(
    server: CatalogueServer, dirs: tuple[Path, Path], current_text: str
) -> None:
    root, downloads = dirs
    server.serve(current_text)
    common = ["--url", server.url, "--output", str(root), "--cache-dir", str(downloads)]
    runner.invoke(app, ["sync", *common])
    before = snapshot(root / "aichat")
    server.serve(current_text[: len(current_text) // 2] + "\n  - [broken: {\n")

    result = runner.invoke(app, ["sync", *common])

    assert result.exit_code == 1
    assert "not valid YAML" in result.output
    assert snapshot(root / "aichat") == before


def test_cli_sync_without_network_or_cache_fails_cleanly(
    dead_url: str, dirs: tuple[Path, Path]
) -> None:
    root, downloads = dirs

    result = runner.invoke(
        app, ["sync", "--url", dead_url, "--output", str(root), "--cache-dir", str(downloads)]
    )

    assert result.exit_code == 1
    assert "nothing is cached" in result.output
    assert not root.exists()
