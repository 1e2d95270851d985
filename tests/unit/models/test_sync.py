"""``sync`` end to end over loopback HTTP, and the ``fluent-ai models`` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.cli.models import Feature, app
from fluent_ai.models import CAPABILITIES
from fluent_ai.models.sync import sync
from tests.unit.models import expected
from tests.unit.models.conftest import CatalogueServer
from tests.unit.models.test_changes import as_sets
from tests.unit.models.test_regenerate import snapshot

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "generated", tmp_path / "cache"


def test_previous_then_current_catalogue(
    server: CatalogueServer, dirs: tuple[Path, Path], previous_text: str, current_text: str
) -> None:
    output, cache = dirs
    server.serve(previous_text)
    first = sync(server.url, directory=output, cache_dir=cache)
    server.serve(current_text)

    second = sync(server.url, directory=output, cache_dir=cache)

    assert first.download.source == second.download.source == "downloaded"
    assert len(first.regeneration.changes.added) == 299
    changes = second.regeneration.changes
    assert as_sets(changes) == expected.change_set(previous_text, current_text)
    assert not second.regeneration.full


def test_unchanged_catalogue_is_a_304_and_changes_nothing(
    server: CatalogueServer, dirs: tuple[Path, Path], current_text: str
) -> None:
    output, cache = dirs
    server.serve(current_text)
    sync(server.url, directory=output, cache_dir=cache)
    before = snapshot(output)

    report = sync(server.url, directory=output, cache_dir=cache)

    assert server.statuses == ["200", "304"]
    assert report.download.source == "not-modified"
    assert not report.regeneration.changes
    assert snapshot(output) == before


def test_cli_sync_prints_the_change_set(
    server: CatalogueServer, dirs: tuple[Path, Path], previous_text: str, current_text: str
) -> None:
    output, cache = dirs
    server.serve(previous_text)
    common = ["--url", server.url, "--output", str(output), "--cache-dir", str(cache)]
    assert runner.invoke(app, ["sync", *common]).exit_code == 0
    server.serve(current_text)

    result = runner.invoke(app, ["sync", *common])

    assert result.exit_code == 0, result.output
    assert "Downloaded the catalogue" in result.output
    assert "227 added, 12 modified, 224 removed." in result.output
    assert "deepseek/deepseek-chat" in result.output
    assert "input_price: 0.27 → 0.56" in result.output
    assert "Deleted lingyiwanwu.py." in result.output


def test_cli_sync_dry_run_writes_nothing(
    server: CatalogueServer, dirs: tuple[Path, Path], current_text: str
) -> None:
    output, cache = dirs
    server.serve(current_text)

    result = runner.invoke(
        app,
        [
            "sync",
            "--dry-run",
            "--url",
            server.url,
            "--output",
            str(output),
            "--cache-dir",
            str(cache),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "302 added" in result.output
    assert "Would write" in result.output
    assert not output.exists()


def test_cli_sync_falls_back_to_the_cache_when_the_server_is_gone(
    server: CatalogueServer, dirs: tuple[Path, Path], current_text: str
) -> None:
    output, cache = dirs
    server.serve(current_text)
    common = ["--url", server.url, "--output", str(output), "--cache-dir", str(cache)]
    runner.invoke(app, ["sync", *common])
    server.stop()

    result = runner.invoke(app, ["sync", *common, "--timeout", "5"])

    assert result.exit_code == 0, result.output
    assert "Download failed" in result.output
    assert "using the cached copy" in result.output
    assert "0 added, 0 modified, 0 removed." in result.output


def test_cli_sync_reports_a_malformed_catalogue_and_keeps_the_data(
    server: CatalogueServer, dirs: tuple[Path, Path], current_text: str
) -> None:
    output, cache = dirs
    server.serve(current_text)
    common = ["--url", server.url, "--output", str(output), "--cache-dir", str(cache)]
    runner.invoke(app, ["sync", *common])
    before = snapshot(output)
    server.serve(current_text[: len(current_text) // 2] + "\n  - [broken: {\n")

    result = runner.invoke(app, ["sync", *common])

    assert result.exit_code == 1
    assert "not valid YAML" in result.output
    assert snapshot(output) == before


def test_cli_sync_without_network_or_cache_fails_cleanly(
    dead_url: str, dirs: tuple[Path, Path]
) -> None:
    output, cache = dirs

    result = runner.invoke(
        app, ["sync", "--url", dead_url, "--output", str(output), "--cache-dir", str(cache)]
    )

    assert result.exit_code == 1
    assert "nothing is cached" in result.output
    assert not output.exists()


def test_cli_list_filters_by_provider_and_capability() -> None:
    result = runner.invoke(app, ["list", "--provider", "claude", "--supports", "thinking"])

    assert result.exit_code == 0, result.output
    assert "anthropic/claude-sonnet-4-6:thinking" in result.output
    assert "10 models" in result.output
    assert "openai/" not in result.output


def test_cli_list_combines_capabilities() -> None:
    result = runner.invoke(
        app,
        ["list", "--provider", "openai", "--supports", "json_schema", "--supports", "vision"],
    )

    assert result.exit_code == 0, result.output
    assert "openai/gpt-4o " in result.output
    assert "openai/gpt-3.5-turbo" not in result.output


def test_cli_list_by_kind() -> None:
    result = runner.invoke(app, ["list", "--kind", "embedding", "--provider", "local"])

    assert result.exit_code == 0, result.output
    assert "local/all-minilm-l6-v2" in result.output
    assert "local/smollm2" not in result.output
    assert "1 model\n" in result.output


def test_cli_supports_every_capability() -> None:
    assert tuple(Feature) == CAPABILITIES


def test_cli_list_unknown_provider() -> None:
    result = runner.invoke(app, ["list", "--provider", "nosuch"])

    assert result.exit_code == 1
    assert "unknown provider 'nosuch'" in result.output


def test_cli_show_known_model() -> None:
    result = runner.invoke(app, ["show", "claude-sonnet-4-5"])

    assert result.exit_code == 0, result.output
    assert "anthropic/claude-sonnet-4-5-20250929" in result.output
    assert "200,000" in result.output
    assert "Cached input $/M tokens" in result.output


def test_cli_show_unknown_but_plausible_model() -> None:
    result = runner.invoke(app, ["show", "openai/gpt-6"])

    assert result.exit_code == 0, result.output
    assert "not in the registry" in result.output
    assert "Closest known models: openai/" in result.output


def test_cli_show_unknown_model() -> None:
    result = runner.invoke(app, ["show", "gpt-4oo"])

    assert result.exit_code == 1
    assert "closest: openai/gpt-4o" in result.output
