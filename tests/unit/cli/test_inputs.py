"""Text the CLI reads (stdin, files, arguments) never carries undecodable bytes onward."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from fluent_ai.cli import inputs
from fluent_ai.cli.embed import app as embed_app
from tests.unit.embeddings.vendor_server import VendorServer, vector_for, vendor_server


def test_utf8_is_left_alone_and_a_bom_dropped() -> None:
    assert inputs.decode("café ☕".encode()) == inputs.Decoded("café ☕")
    assert inputs.decode(b"\xef\xbb\xbfhi").text == "hi"


def test_latin1_bytes_are_replaced_counted_and_located() -> None:
    decoded = inputs.decode("line one\nCafé crème".encode("latin-1"))
    assert decoded.text == "line one\nCaf\ufffd cr\ufffdme"
    assert (decoded.replaced, decoded.first_byte, decoded.first_line) == (2, 12, 2)
    assert decoded.warning("stdin") == (
        "warning: stdin is not valid UTF-8: replaced 2 bytes with U+FFFD "
        "(the first at byte 12, line 2)"
    )


def test_the_position_counts_the_byte_order_mark() -> None:
    assert inputs.decode(b"\xef\xbb\xbfab\xff").first_byte == 5


@given(st.binary(max_size=200))
def test_any_bytes_decode_to_text_without_surrogates(data: bytes) -> None:
    decoded = inputs.decode(data)
    decoded.text.encode("utf-8")  # a surrogate would raise here, as it did in the HTTP client
    if decoded.replaced == 0:
        assert decoded.text == data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")


def test_arguments_lose_their_escaped_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    # What Python makes of the argument bytes b"h\xe9llo" (surrogateescape).
    escaped = b"h\xe9llo".decode("utf-8", "surrogateescape")
    assert inputs.argument(escaped, "the prompt") == "h\ufffdllo"
    assert "the prompt is not valid UTF-8: replaced 1 byte" in capsys.readouterr().err
    assert inputs.argument("plain", "the prompt") == "plain"


def test_mixed_lone_surrogates_count_one_replacement_each() -> None:
    assert inputs.argument("a\udce9b\ud800c", "x") == "a\ufffdb\ufffd\ufffd\ufffdc"
    assert inputs.argument("a\udce9b", "x") == "a\ufffdb"


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


def test_stdin_is_read_as_bytes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A strict text stream would raise UnicodeDecodeError on these bytes if read as text.
    monkeypatch.setattr("sys.stdin", _Stdin(io.BytesIO(b"na\xefve\n"), encoding="utf-8"))
    assert inputs.read_stdin() == "na\ufffdve\n"
    assert "stdin is not valid UTF-8: replaced 1 byte" in capsys.readouterr().err


@pytest.fixture
def ollama() -> Iterator[VendorServer]:
    with vendor_server("ollama") as server:
        yield server


def test_embed_reads_latin1_files_and_stdin(ollama: VendorServer, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_bytes("Café\n".encode("latin-1"))
    options = ["-m", "ollama/test-model", "--base-url", ollama.base_url]
    result = CliRunner().invoke(
        embed_app, [str(source), "-", *options], input="Crème\n".encode("latin-1")
    )
    assert result.exit_code == 0, result.output
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert texts == ["Caf\ufffd", "Cr\ufffdme"]
    assert json.loads(result.stdout.splitlines()[0])["embedding"] == vector_for("Caf\ufffd")
    assert f"{source} is not valid UTF-8: replaced 1 byte" in result.stderr
    assert "stdin is not valid UTF-8: replaced 1 byte" in result.stderr
