"""``fluent-ai models list`` and ``show``: filters, provenance, JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from fluent_ai.cli.models import Feature, app
from fluent_ai.models import CAPABILITIES

runner = CliRunner(env={"COLUMNS": "200"})


def test_cli_list_filters_by_provider_and_capability() -> None:
    result = runner.invoke(app, ["list", "--provider", "claude", "--supports", "thinking"])

    assert result.exit_code == 0, result.output
    assert "anthropic/claude-sonnet-4-6:thinking" in result.output
    assert "27 models" in result.output
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
    assert "anthropic/claude-sonnet-4-5" in result.output
    assert "64,000" in result.output
    assert "Cached input $/M tokens" in result.output


def test_cli_show_says_where_each_figure_came_from() -> None:
    result = runner.invoke(app, ["show", "anthropic/claude-sonnet-4-6:thinking"])

    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "aichat" in rows["Thinking budget"]
    assert "litellm" in rows["Supports json schema"]
    assert "litellm (shipped with fluent-ai)" in result.output


def test_cli_show_json_has_the_provenance() -> None:
    result = runner.invoke(app, ["show", "gpt-4o-mini", "--json"])

    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["id"] == "openai/gpt-4o-mini"
    assert shown["input_price"] == 0.15
    assert shown["provenance"]["input_price"] == "litellm"


def test_cli_show_unknown_but_plausible_model() -> None:
    result = runner.invoke(app, ["show", "openai/gpt-6"])

    assert result.exit_code == 0, result.output
    assert "not in the registry" in result.output
    assert "Closest known models: openai/" in result.output


def test_cli_show_unknown_model() -> None:
    result = runner.invoke(app, ["show", "gpt-4oo"])

    assert result.exit_code == 1
    assert "closest: openai/gpt-4o" in result.output
