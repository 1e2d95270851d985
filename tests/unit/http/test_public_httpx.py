"""The HTTP layer uses httpx only through its public API, so an httpx upgrade cannot break it.

httpx's private hooks (``_init_transport``, ``_init_proxy_transport``) and its
responses' internals change between releases without notice. The layers go in through
``transport=`` / ``mounts=`` and transport subclasses; these checks read the sources,
so a private hook or a patched response cannot come back unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import pytest

import fluent_ai.http
from fluent_ai.http import HttpClient, SyncHttpClient
from tests.unit.http.loopback import Loopback, Reply

SOURCES = sorted(Path(fluent_ai.http.__file__).parent.glob("*.py"))
HTTPX_CLIENTS = {"AsyncClient", "Client"}


def _httpx_name(node: ast.expr) -> str | None:
    """``X`` for an expression ``httpx.X``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr if node.value.id == "httpx" else None
    return None


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_private_httpx_api(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("httpx._"):
            problems.append(f"line {node.lineno}: imports {node.module}")
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if _httpx_name(base) in HTTPX_CLIENTS:
                    problems.append(f"line {node.lineno}: subclasses httpx.{_httpx_name(base)}")
        if isinstance(node, ast.Attribute):
            if _httpx_name(node) and node.attr.startswith("_"):
                problems.append(f"line {node.lineno}: uses httpx.{node.attr}")
            if node.attr.startswith("_init_"):
                problems.append(f"line {node.lineno}: uses {node.attr}")
            if node.attr == "stream" and isinstance(node.ctx, ast.Store):
                problems.append(f"line {node.lineno}: replaces a response's stream")
    assert problems == []


async def test_the_streamed_response_is_the_one_httpx_built(server: Loopback) -> None:
    server.reply(Reply(200, chunks=[b"data: a\n\n"]))
    async with HttpClient() as client, client.stream("GET", server.url()) as response:
        assert isinstance(response, httpx.Response)
        assert await response.aread() == b"data: a\n\n"
        assert response.http_version == "HTTP/1.1"


def test_a_sync_stream_reads_and_closes_from_sync_code(server: Loopback) -> None:
    server.reply(Reply(200, {"x-id": "7"}, chunks=[b"one\n", b"two\n"]))
    with SyncHttpClient() as client, client.stream("GET", server.url()) as response:
        assert response.headers["x-id"] == "7"
        assert list(response.iter_lines()) == ["one", "two"]
        response.close()
        assert response.is_closed
