"""Tools served by an MCP server, over stdio or streamable HTTP, through the ``mcp`` SDK.

:class:`MCPServer` is an async context manager: entering it starts or reaches the
server, :meth:`MCPServer.list_tools` returns ordinary :class:`Tool` objects, and
each call goes to the server's ``tools/call``. The connection lives in a task of its
own, so a server that crashes or goes away fails the calls in flight with
:class:`MCPError` (error results for the model) instead of cancelling the code that
opened it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import shlex
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Any, Self

from fluent_ai.tools.arguments import load_arguments
from fluent_ai.tools.errors import MCPError
from fluent_ai.tools.output import to_text
from fluent_ai.tools.tool import Tool

try:
    import httpx2
    from mcp import Client, StdioServerParameters
    from mcp import MCPError as SDKError
    from mcp.client import Transport
    from mcp.client.streamable_http import streamable_http_client
    from mcp_types import (
        CallToolResult,
        ContentBlock,
        EmbeddedResource,
        ResourceLink,
        TextContent,
        TextResourceContents,
    )
    from mcp_types import Tool as MCPToolInfo
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError("MCP tools need the mcp package: pip install 'fluent-ai[mcp]'") from exc

logger = logging.getLogger(__name__)

_HTTP_TIMEOUT = httpx2.Timeout(30.0, read=300.0)
"""The SDK's own defaults: a server may hold a response stream open for minutes."""


class MCPServer:
    """A connection to one MCP server. Use ``async with`` around the tools' whole lifetime."""

    def __init__(
        self, target: StdioServerParameters | str, *, name: str, headers: Mapping[str, str]
    ) -> None:
        self.name = name
        self._target = target
        self._headers = dict(headers)
        self._client: Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._lost: str | None = None

    @classmethod
    def stdio(
        cls,
        command: str,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        *,
        cwd: str | None = None,
        name: str | None = None,
    ) -> MCPServer:
        """A server run as a subprocess, spoken to over its stdin and stdout.

        ``env`` is added to a minimal inherited environment (``PATH``, ``HOME``, …);
        the server's stderr goes to this process's stderr.
        """
        target = StdioServerParameters(
            command=command, args=list(args), env=dict(env) if env is not None else None, cwd=cwd
        )
        return cls(target, name=name or shlex.join([command, *args]), headers={})

    @classmethod
    def http(
        cls, url: str, headers: Mapping[str, str] | None = None, *, name: str | None = None
    ) -> MCPServer:
        """A server reached over streamable HTTP at ``url``; ``headers`` go with every request."""
        return cls(url, name=name or url, headers=headers or {})

    async def __aenter__(self) -> Self:
        if self._task is not None:
            raise MCPError(f"MCP server {self.name!r} is already connected")
        connected: asyncio.Future[Client] = asyncio.get_running_loop().create_future()
        self._closing = asyncio.Event()
        self._lost = None
        self._task = asyncio.create_task(self._hold(connected), name=f"mcp:{self.name}")
        try:
            self._client = await connected
        except BaseException:
            task, self._task = self._task, None
            await _finish(task)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        task, self._task, self._client = self._task, None, None
        if task is None:
            return
        self._closing.set()
        try:
            await task
        except asyncio.CancelledError:
            await _finish(task)
            raise

    async def list_tools(self) -> list[MCPTool]:
        """Every tool the server offers, following pagination to the end."""
        client = self._connected()
        tools: list[MCPTool] = []
        cursor: str | None = None
        try:
            while True:
                page = await client.list_tools(cursor=cursor)
                tools.extend(MCPTool(self, info) for info in page.tools)
                cursor = page.next_cursor
                if cursor is None:
                    return tools
        except SDKError as exc:
            raise MCPError(f"MCP server {self.name!r} could not list its tools: {exc}") from exc

    async def call_tool(self, name: str, arguments: Mapping[str, Any]) -> str:
        """Call a tool on the server; its text, or :class:`MCPError` when the call failed."""
        client = self._connected()
        try:
            result = await client.call_tool(name, dict(arguments))
        except SDKError as exc:
            reason = f"{exc} ({self._lost})" if self._lost else str(exc)
            raise MCPError(
                f"MCP server {self.name!r} failed to run tool {name!r}: {reason}"
            ) from exc
        text = result_text(result)
        if result.is_error:
            raise MCPError(text or f"MCP tool {name!r} failed without saying why")
        return text

    def _connected(self) -> Client:
        if self._client is None:
            raise MCPError(f"MCP server {self.name!r} is not connected; use `async with` first")
        if self._lost is not None:
            raise MCPError(f"MCP server {self.name!r} is disconnected: {self._lost}")
        return self._client

    async def _hold(self, connected: asyncio.Future[Client]) -> None:
        """Own the connection from start to close, in this one task as the SDK requires."""
        try:
            async with AsyncExitStack() as stack:
                client = await stack.enter_async_context(Client(await self._transport(stack)))
                connected.set_result(client)
                await self._closing.wait()
        except Exception as exc:
            reason = describe_failure(exc)
            if not connected.done():
                failure = MCPError(f"could not connect to MCP server {self.name!r}: {reason}")
                failure.__cause__ = exc
                connected.set_exception(failure)
            elif self._closing.is_set():
                logger.warning("MCP server %r failed while closing: %s", self.name, reason)
            else:
                self._lost = reason
                logger.warning("lost the connection to MCP server %r: %s", self.name, reason)

    async def _transport(self, stack: AsyncExitStack) -> StdioServerParameters | Transport:
        if isinstance(self._target, StdioServerParameters):
            return self._target
        http = await stack.enter_async_context(
            httpx2.AsyncClient(headers=self._headers, timeout=_HTTP_TIMEOUT)
        )
        return streamable_http_client(self._target, http_client=http)


class MCPTool(Tool):
    """A tool served by an MCP server; its schema is the server's ``inputSchema``.

    Arguments are checked to be a JSON object here and against the schema by the
    server, whose complaint comes back as the error result.
    """

    def __init__(self, server: MCPServer, info: MCPToolInfo) -> None:
        super().__init__(info.name, info.description or "", info.input_schema)
        self.server = server

    async def call(self, arguments: str | Mapping[str, Any] = "{}") -> str:
        return await self.server.call_tool(self.name, load_arguments(self.name, arguments))


def result_text(result: CallToolResult) -> str:
    """The text of a tool result; structured content as JSON when there is no text.

    Tool results reach the model as text, so images, audio and binary resources are
    named (with their type and size) rather than inlined.
    """
    blocks = [_block_text(block) for block in result.content]
    if not blocks and result.structured_content is not None:
        return to_text(result.structured_content)
    return "\n".join(blocks)


def _block_text(block: ContentBlock) -> str:
    if isinstance(block, TextContent):
        return block.text
    if isinstance(block, ResourceLink):
        return f"[resource {block.uri}]"
    if isinstance(block, EmbeddedResource):
        contents = block.resource
        if isinstance(contents, TextResourceContents):
            return contents.text
        return f"[resource {contents.uri}: {contents.mime_type or 'binary'}]"
    return f"[{block.type}: {block.mime_type}, {_decoded_size(block.data)} bytes]"


def _decoded_size(data: str) -> int:
    try:
        return len(base64.b64decode(data, validate=True))
    except (binascii.Error, ValueError):
        return len(data)


async def _finish(task: asyncio.Task[None]) -> None:
    """Cancel the connection task and wait until it has closed the transport."""
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def describe_failure(exc: BaseException) -> str:
    """One line for a failure, looking inside the exception groups the SDK's task groups raise."""
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(describe_failure(inner) for inner in exc.exceptions)
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
