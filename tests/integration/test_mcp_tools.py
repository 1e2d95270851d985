"""MCP tools against a real MCP server (tests/support/mcp_server.py), over stdio and HTTP.

The stdio tests start the server as a subprocess; the HTTP tests serve its
streamable HTTP app with uvicorn on a free loopback port in a thread and stop it at
the end.
"""

import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from fluent_ai.tools import MCPError, MCPServer, ToolExecutor
from fluent_ai.types import ToolCallPart
from tests.support.mcp_server import build_server

SERVER_SCRIPT = Path(__file__).parents[1] / "support" / "mcp_server.py"


def call(name: str, arguments: str = "{}") -> ToolCallPart:
    return ToolCallPart(id=f"id-{name}", name=name, arguments=arguments)


def stdio_server() -> MCPServer:
    return MCPServer.stdio(sys.executable, [str(SERVER_SCRIPT)], name="test-stdio")


@dataclass
class HTTPServer:
    """The test server on a loopback port, recording the headers of every request."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread
    headers: list[dict[str, str]] = field(default_factory=list)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def http_server() -> Iterator[HTTPServer]:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    app = build_server().streamable_http_app()
    seen: list[dict[str, str]] = []

    async def recording_app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append({k.decode(): v.decode() for k, v in scope["headers"]})
        await app(scope, receive, send)

    server = uvicorn.Server(uvicorn.Config(recording_app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # bounds a failure only: a start takes a moment
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test MCP server did not start")
        time.sleep(0.01)
    running = HTTPServer(f"http://127.0.0.1:{port}/mcp", server, thread, seen)
    yield running
    running.stop()


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
        return port


async def check_tools(server: MCPServer) -> None:
    """The checks both transports share: listing, a good call and a failing one."""
    tools = await server.list_tools()
    assert [t.name for t in tools] == ["add", "fail", "get_user_country", "crash"]
    add = tools[0]
    assert add.spec.description == "Add two integers."
    assert add.parameters["properties"] == {
        "a": {"title": "A", "type": "integer"},
        "b": {"title": "B", "type": "integer"},
    }
    assert add.parameters["required"] == ["a", "b"]

    executor = ToolExecutor(tools[:2], timeout=10)
    results = await executor.run(
        [
            call("add", '{"a": 2, "b": 40}'),
            call("fail"),
            call("add", '{"a": "two"}'),
            call("add", "[1, 2]"),
        ]
    )
    assert (results[0].content, results[0].is_error) == ("42", False)
    assert (results[1].content, results[1].is_error) == (
        "Error executing tool fail: this tool always fails",
        True,
    )
    assert results[2].is_error
    assert "Error executing tool add" in results[2].content
    assert "a\n  Input should be a valid integer" in results[2].content
    assert results[3].is_error
    assert "the arguments must be a JSON object (got [1, 2])" in results[3].content


async def test_stdio_list_call_and_errors() -> None:
    async with stdio_server() as server:
        await check_tools(server)


async def test_stdio_server_crash_becomes_error_results() -> None:
    async with stdio_server() as server:
        tools = await server.list_tools()
        executor = ToolExecutor(tools, timeout=10)
        [crashed] = await executor.run([call("crash")])
        assert crashed.is_error
        assert crashed.content.startswith("MCP server 'test-stdio' failed to run tool 'crash':")
        assert "Connection closed" in crashed.content
        [after] = await executor.run([call("add", '{"a": 1, "b": 2}')])
        assert after.is_error
        assert after.content.startswith("MCP server 'test-stdio'")


async def test_stdio_command_that_cannot_start() -> None:
    missing = MCPServer.stdio("/nonexistent/mcp-server-binary")
    with pytest.raises(MCPError, match="could not connect to MCP server") as caught:
        async with missing:
            pass
    assert "FileNotFoundError" in str(caught.value)


async def test_http_list_call_errors_and_headers(http_server: HTTPServer) -> None:
    async with MCPServer.http(http_server.url, headers={"X-Api-Key": "k-123"}) as server:
        await check_tools(server)
    assert http_server.headers
    assert all(request["x-api-key"] == "k-123" for request in http_server.headers)


async def test_http_server_that_goes_away_becomes_error_results(http_server: HTTPServer) -> None:
    async with MCPServer.http(http_server.url) as server:
        tools = await server.list_tools()
        executor = ToolExecutor(tools, timeout=10)
        [before] = await executor.run([call("add", '{"a": 1, "b": 2}')])
        assert before.content == "3"
        http_server.stop()
        [after] = await executor.run([call("add", '{"a": 1, "b": 2}')])
        assert after.is_error
        assert after.content.startswith(f"MCP server {http_server.url!r}")


async def test_http_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/mcp"
    with pytest.raises(MCPError, match="could not connect to MCP server") as caught:
        async with MCPServer.http(url):
            pass
    assert "ConnectError" in str(caught.value)


async def test_tools_need_a_connection() -> None:
    server = stdio_server()
    with pytest.raises(MCPError, match="is not connected"):
        await server.list_tools()
