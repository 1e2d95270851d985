"""``fluent-ai embed`` against a wire-shape Ollama server on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.cli.embed import app
from tests.unit.embeddings.vendor_server import VendorServer, vector_for, vendor_server


@pytest.fixture
def ollama() -> Iterator[VendorServer]:
    with vendor_server("ollama") as server:
        yield server


def run(server: VendorServer, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    options = ["-m", "ollama/test-model", "--base-url", server.base_url]
    result = CliRunner().invoke(app, [*args, *options], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_each_non_empty_line_of_each_file_becomes_one_record(
    ollama: VendorServer, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("The cat sat.\n\n   \nA dog barked.\n", encoding="utf-8")
    second.write_text("Café au lait", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    code, stdout, stderr = run(ollama, str(first), str(second), "-o", str(out))

    assert code == 0, stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    texts = ["The cat sat.", "A dog barked.", "Café au lait"]
    assert records == [{"text": text, "embedding": vector_for(text)} for text in texts]
    assert stdout == ""
    assert "embedded 3 lines with ollama/test-model" in stderr


def test_stdin_in_and_stdout_out(ollama: VendorServer) -> None:
    code, stdout, stderr = run(ollama, "-", stdin="one\ntwo\n")

    assert code == 0, stderr
    assert [json.loads(line)["text"] for line in stdout.splitlines()] == ["one", "two"]


def test_input_type_and_dimensions_reach_the_request(ollama: VendorServer, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("x\n", encoding="utf-8")

    code, stdout, stderr = run(ollama, str(source), "--dimensions", "16", "--input-type", "query")

    assert code == 0, stderr
    assert ollama.received[0].body["dimensions"] == 16
    assert len(json.loads(stdout)["embedding"]) == 16


def test_a_missing_file_is_a_usage_error(ollama: VendorServer, tmp_path: Path) -> None:
    code, _, stderr = run(ollama, str(tmp_path / "nope.txt"))

    assert code == 2
    assert "cannot read" in stderr
    assert ollama.received == []
