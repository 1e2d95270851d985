"""An agent closes what it opened: its model's connections, and every stream it stops.

Streams are checked two ways: a transport in the client records when each response body
is closed (so "closed by the time ``aclose()`` returns" is exact), and a loopback server
that holds its stream open sees the client hang up. Leaks are checked the way a user
meets them: the garbage collector's ``ResourceWarning``, in this process and in a fresh
``python -X dev -W error::ResourceWarning``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from fluent_ai._sync import run_sync
from fluent_ai.agent import Agent, FluentAI
from fluent_ai.http import HttpClient
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import TextDelta
from tests.support.complaints import Complaints, complaints
from tests.unit.http.loopback import Loopback, Reply, loopback_server

__all__ = ["complaints"]  # the fixture, used by name

ROOT = Path(__file__).resolve().parents[3]


def chunk(content: str) -> bytes:
    body = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "model": "gpt-4o",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


ANSWER = json.dumps(
    {
        "id": "c1",
        "object": "chat.completion",
        "model": "gpt-4o",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }
).encode()


def agent_for(base_url: str) -> Agent:
    return FluentAI.agent("closer").model("openai/gpt-4o", api_key="k", base_url=base_url).build()


@pytest.fixture
def server() -> Iterator[Loopback]:
    with loopback_server() as loopback:
        yield loopback


class HoldingServer:
    """Answers one streamed chat with a first piece, then holds the stream open until the
    client hangs up (``hung_up``)."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/v1"
        self.hung_up = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        connection, _ = self._socket.accept()
        with connection:
            connection.settimeout(10)
            received = b""
            while b"\r\n\r\n" not in received:
                received += connection.recv(65536)
            head, _, body = received.partition(b"\r\n\r\n")
            fields = (line.split(b":", 1) for line in head.split(b"\r\n")[1:])
            headers = {name.strip().lower(): value.strip() for name, value in fields}
            length = int(headers.get(b"content-length", b"0"))
            while len(body) < length:
                body += connection.recv(65536)
            first = chunk("Hel")
            connection.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                b"transfer-encoding: chunked\r\n\r\n" + b"%x\r\n%s\r\n" % (len(first), first)
            )
            try:
                while connection.recv(65536):
                    pass
            except OSError:
                pass  # a reset is a hang-up too
            self.hung_up.set()

    def close(self) -> None:
        self._socket.close()
        self._thread.join(timeout=5)


@pytest.fixture
def holding() -> Iterator[HoldingServer]:
    server = HoldingServer()
    yield server
    server.close()


class WatchedBody(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for piece in self._inner:
            yield piece

    async def aclose(self) -> None:
        self.closed = True
        await self._inner.aclose()


class Watching(httpx.AsyncBaseTransport):
    """The network, recording each response body so a test can see when it is closed."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.bodies: list[WatchedBody] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        body = WatchedBody(response.stream)
        self.bodies.append(body)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=body,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


def with_client(agent: Agent, client: HttpClient) -> Agent:
    """``agent`` with its model sending through ``client``."""
    model = agent.config.model
    assert isinstance(model, HttpChatModel)
    given = HttpChatModel(
        model.profile, model.protocol, api_key="k", base_url=model.base_url, client=client
    )
    return Agent(dataclasses.replace(agent.config, model=given))


async def test_closing_the_agents_stream_closes_the_response_before_aclose_returns(
    holding: HoldingServer,
) -> None:
    watching = Watching()
    async with HttpClient(transport=watching) as client:
        agent = with_client(agent_for(holding.base_url), client)
        events = agent.stream("hello")
        async for event in events:
            if isinstance(event, TextDelta):
                break
        assert watching.bodies
        assert not watching.bodies[0].closed
        await events.aclose()
        assert watching.bodies[0].closed
    assert await asyncio.to_thread(holding.hung_up.wait, 5)


async def test_breaking_out_of_the_stream_hangs_up_at_once(holding: HoldingServer) -> None:
    async with agent_for(holding.base_url) as agent:
        async for event in agent.stream("hello"):
            if isinstance(event, TextDelta):
                break
        # No aclose(), no garbage collection asked for: the loop's finalizer closes the
        # abandoned stream, all of it, on its next turn.
        for _ in range(20):
            await asyncio.sleep(0)
        assert await asyncio.to_thread(holding.hung_up.wait, 2)


def test_breaking_out_of_a_sync_stream_hangs_up(holding: HoldingServer) -> None:
    with agent_for(holding.base_url) as agent:
        for event in agent.stream_sync("hello"):
            if isinstance(event, TextDelta):
                break
        assert holding.hung_up.wait(5)


async def test_async_with_closes_the_models_own_connections(
    server: Loopback, complaints: Complaints
) -> None:
    server.reply(Reply(200, {"content-type": "application/json"}, ANSWER))
    async with agent_for(server.url("/v1")) as agent:
        assert (await agent.chat("hello")).text == "hi"
        model = agent.config.model
        assert isinstance(model, HttpChatModel)
        client = model.client
    assert client.is_closed
    assert complaints.after_gc() == []


async def test_a_client_passed_in_is_left_open_for_its_owner(server: Loopback) -> None:
    server.reply(*[Reply(200, {"content-type": "application/json"}, ANSWER)] * 2)
    async with HttpClient() as client:
        async with with_client(agent_for(server.url("/v1")), client) as agent:
            await agent.chat("hello")
        assert not client.is_closed
        await agent.chat("again")  # still usable: the user closes it
    assert client.is_closed


async def test_a_closed_agent_opens_new_connections_if_used_again(server: Loopback) -> None:
    server.reply(*[Reply(200, {"content-type": "application/json"}, ANSWER)] * 2)
    agent = agent_for(server.url("/v1"))
    await agent.chat("hello")
    await agent.aclose()
    assert (await agent.session().chat("again")).text == "hi"
    await agent.aclose()


def test_with_closes_the_sync_apis_connections(server: Loopback) -> None:
    server.reply(Reply(200, {"content-type": "application/json"}, ANSWER))

    async def current(agent: Agent) -> HttpClient:
        model = agent.config.model
        assert isinstance(model, HttpChatModel)
        return model.client

    with agent_for(server.url("/v1")) as agent:
        assert agent.chat_sync("hello").text == "hi"
        client = run_sync(current(agent))
        assert not client.is_closed
    assert client.is_closed


SCRIPT = """
import asyncio, json, sys
sys.path.insert(0, {root!r})
from fluent_ai.agent import FluentAI
from tests.unit.http.loopback import Reply, loopback_server
from tests.unit.agent.test_agent_closing import ANSWER

with loopback_server() as server:
    server.reply(*[Reply(200, {{"content-type": "application/json"}}, ANSWER)] * 2)
    base_url = server.url("/v1")
    agent = FluentAI.agent("a").model("openai/gpt-4o", api_key="k", base_url=base_url).build()
    {call}
print("answered")
"""


@pytest.mark.parametrize(
    "call",
    [
        "print(asyncio.run(agent.chat('hi')).text)",
        "print(agent.chat_sync('hi').text)",
    ],
    ids=["asyncio.run", "sync"],
)
def test_a_script_that_never_closes_leaves_no_connection_open(call: str) -> None:
    script = SCRIPT.format(root=str(ROOT), call=call)
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["hi", "answered"]
    assert "ResourceWarning" not in done.stderr
    assert "unclosed" not in done.stderr
