"""``fluent-ai template check`` on good and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.cli.template import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("filename", "source", "engine"),
    [
        ("good.j2", "Hello {{ name }}\n{% for x in items %}- {{ x }}\n{% endfor %}", "jinja"),
        ("good.liquid", "Hello {{ name | upcase }}", "liquid"),
        ("good.hbs", "Hello {{name}}{{#if x}}!{{/if}}", "handlebars"),
    ],
)
def test_good_file(tmp_path: Path, filename: str, source: str, engine: str) -> None:
    path = tmp_path / filename
    path.write_text(source, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    assert result.stdout == f"{path}: ok ({engine})\n"


@pytest.mark.parametrize(
    ("filename", "source", "location"),
    [
        ("bad.j2", "Hello\n{% for x in items %}\n{% endif %}", ":3:4: Encountered unknown tag"),
        ("bad.liquid", "Hello\n  {{ name | nope }}", ":2:13: unknown filter 'nope'"),
        ("bad.handlebars", "Hi\n{{#if x}}\n", ":2:1: {{#if}} is never closed"),
    ],
)
def test_bad_file_reports_line_and_column(
    tmp_path: Path, filename: str, source: str, location: str
) -> None:
    path = tmp_path / filename
    path.write_text(source, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}{location}" in result.stderr


def test_engine_option_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "prompt.txt"
    path.write_text("{{#each items}}{{this}}{{/each}}", encoding="utf-8")
    assert runner.invoke(app, ["check", str(path)]).exit_code == 1
    result = runner.invoke(app, ["check", "--engine", "handlebars", str(path)])
    assert result.exit_code == 0
    assert "ok (handlebars)" in result.stdout


def test_every_file_is_checked(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.j2", tmp_path / "good.j2"
    bad.write_text("{{ x", encoding="utf-8")
    good.write_text("{{ x }}", encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad), str(good)])
    assert result.exit_code == 1
    assert f"{good}: ok (jinja)" in result.stdout
    assert f"{bad}:1:" in result.stderr
