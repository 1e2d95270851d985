"""The generated module format: round trip, ruff-clean text, malformed files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.models import litellm
from fluent_ai.models.aichat import parse_catalogue
from fluent_ai.models.entry import Entry
from fluent_ai.models.errors import GeneratedDataError
from fluent_ai.models.generated import read_directory, read_module, render_module
from fluent_ai.models.regenerate import regenerate
from fluent_ai.models.store import PACKAGE_DIR
from tests.unit.models.conftest import LITELLM

ODD: tuple[Entry, ...] = (
    {"name": 'quote"and\\backslash', "input_price": 1e-05, "max_input_tokens": 1},
    {"name": "naïve-模型", "kind": "embedding", "output_price": 123456789.125},
    {"name": "plain"},
    {"name": "astral \U0001f600, bell \x07, lone \ud800, tab \t, both '\"'"},
)


def test_round_trip_of_the_real_catalogue(current_text: str) -> None:
    for provider, entries in parse_catalogue(current_text).items():
        assert read_module(render_module(provider, entries)) == (provider, entries)


def test_round_trip_of_odd_values() -> None:
    assert read_module(render_module("odd", ODD)) == ("odd", ODD)
    assert read_module(render_module("empty", ())) == ("empty", ())


def test_rendering_is_ruff_clean_and_importable(tmp_path: Path) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    (tmp_path / "odd.py").write_text(render_module("odd", ODD), encoding="utf-8")
    (tmp_path / "empty.py").write_text(render_module("empty", ()), encoding="utf-8")

    for command in (["format", "--check", "--diff"], ["check", "--select", "E,F,W,I"]):
        result = subprocess.run(
            [ruff, *command, "--line-length", "100", str(tmp_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_shipped_modules_match_the_catalogues_byte_for_byte(current_text: str) -> None:
    catalogues = {
        "aichat": parse_catalogue(current_text),
        "litellm": litellm.parse_catalogue(LITELLM.read_text(encoding="utf-8")),
    }
    for source, catalogue in catalogues.items():
        plan = regenerate(catalogue, PACKAGE_DIR / source, source=source, dry_run=True)

        assert not plan.changes, source
        assert not plan.writes, source
        assert not plan.deletes, source
        assert not plan.full, source


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("PROVIDER = 'x'\nMODELS = (\n", "not valid Python"),
        ("MODELS = ()\n", "no PROVIDER"),
        ("PROVIDER = 'x'\n", "no MODELS"),
        ("PROVIDER = 'x'\nMODELS = [{}]\n", "no MODELS tuple"),
        ("PROVIDER = 'x'\nMODELS = (__import__('os'),)\n", "not a literal"),
        ("PROVIDER = 'x'\nMODELS = ({'name': 1},)\n", "has no name"),
        ("PROVIDER = 'x'\nMODELS = ({'name': 'm', 'colour': 'red'},)\n", "bad field"),
        ("PROVIDER = 'x'\nMODELS = ({'name': 'm', 'input_price': 2},)\n", "bad field"),
        ("PROVIDER = 'x'\nMODELS = ({'name': 'm', 'max_input_tokens': -1},)\n", "bad field"),
        ("PROVIDER = 'x'\nMODELS = ({'name': 'm', 'supports_tools': 1},)\n", "bad field"),
        ("PROVIDER = 'x'\nMODELS = ({'name': 'm', 'kind': 'chat'},)\n", "bad field"),
        ("PROVIDER = 'x'\nMODELS = ({'name': 'm', 'api_name': ''},)\n", "bad field"),
        ("PROVIDER = 'x'\x00\n", "not valid Python"),
    ],
)
def test_malformed_module_is_a_clear_error(source: str, message: str) -> None:
    with pytest.raises(GeneratedDataError, match=message):
        read_module(source)


def test_directory_reports_every_problem_file(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(render_module("good", ODD), encoding="utf-8")
    (tmp_path / "broken.py").write_text("MODELS = (", encoding="utf-8")
    (tmp_path / "misnamed.py").write_text(render_module("other", ()), encoding="utf-8")
    (tmp_path / "binary.py").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")

    data = read_directory(tmp_path)

    assert data.providers == {"good": ODD}
    assert sorted(data.problems) == ["binary.py", "broken.py", "misnamed.py"]
    assert "'other'" in data.problems["misnamed.py"]


def test_missing_directory_is_empty(tmp_path: Path) -> None:
    data = read_directory(tmp_path / "nowhere")

    assert data.providers == {}
    assert data.problems == {}


@given(st.text())
def test_any_text_reads_or_is_a_generated_data_error(source: str) -> None:
    try:
        provider, entries = read_module(source)
    except GeneratedDataError:
        return
    assert isinstance(provider, str)
    assert isinstance(entries, tuple)
