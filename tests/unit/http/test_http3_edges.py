"""HTTP/3 at the edges: empty bodies, calls given up, a client closed, idle connections."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytest.importorskip("aioquic", reason="needs the http3 extra: pip install 'fluent-ai[http3]'")
pytest.importorskip("hypercorn")
pytest.importorskip("trustme")

from fluent_ai.http import HttpClient, Timeouts
from fluent_ai.http.h3_transport import H3Transport
from fluent_ai.types import errors
from tests.support.h3_server import (
    App,
    H3Server,
    Receive,
    Scope,
    Send,
    answer,
    h3_server,
    read_body,
)


async def empty(scope: Scope, receive: Receive, send: Send) -> None:
    await read_body(receive)
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def hinted(scope: Scope, receive: Receive, send: Send) -> None:
    """An early hint (an interim 103 response), then the answer."""
    await read_body(receive)
    await send({"type": "http.response.early_hint", "links": [b"</style.css>; rel=preload"]})
    await answer(send, 200, b"body")


class Silent:
    """A route that never answers; ``arrived`` is set once a request reached it."""

    def __init__(self) -> None:
        self.arrived = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        self.arrived.set()
        await asyncio.sleep(10)


@pytest.fixture
def silent() -> Silent:
    return Silent()


@pytest.fixture
def app(silent: Silent) -> App:
    return App(routes={"/empty": empty, "/hinted": hinted, "/silent": silent})


@pytest.fixture
def server(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[H3Server]:
    with h3_server(app, tmp_path) as running:
        monkeypatch.setenv("SSL_CERT_FILE", str(running.ca_file))
        yield running


async def test_a_response_without_a_body(server: H3Server) -> None:
    async with httpx.AsyncClient(transport=H3Transport()) as client:
        response = await client.delete(server.url("/empty"))
        again = await client.get(server.url())
    assert (response.status_code, response.content) == (204, b"")
    assert again.text == "hello over HTTP/3"


async def test_an_interim_response_is_passed_over(server: H3Server) -> None:
    async with httpx.AsyncClient(transport=H3Transport()) as client:
        response = await client.get(server.url("/hinted"))
    assert (response.status_code, response.content) == (200, b"body")
    assert "link" not in response.headers


async def test_plain_http_is_not_sent_over_quic(server: H3Server) -> None:
    async with httpx.AsyncClient(transport=H3Transport()) as client:
        with pytest.raises(httpx.UnsupportedProtocol, match="https"):
            await client.get(f"http://127.0.0.1:{server.port}/")


async def test_the_total_limit_gives_up_on_a_silent_server(server: H3Server) -> None:
    async with HttpClient(http3=True, http2=True, retry=None) as client:
        await client.request("GET", server.url())  # learns the offer, over TCP
        with pytest.raises(errors.TimeoutError, match="total limit"):
            await client.request("GET", server.url("/silent"), timeouts=Timeouts(total=0.5))
        after = await client.request("GET", server.url())
    assert after.text == "hello over HTTP/3"


async def test_closing_the_client_ends_a_request_waiting_for_its_answer(
    server: H3Server, silent: Silent
) -> None:
    async with HttpClient(http3=True, http2=True, retry=None) as client:
        await client.request("GET", server.url())
        waiting = asyncio.create_task(client.request("GET", server.url("/silent")))
        assert await asyncio.to_thread(silent.arrived.wait, 10)
        await client.aclose()
        with pytest.raises(errors.ConnectionError, match="the client was closed"):
            await waiting


async def test_an_idle_connection_is_closed_and_replaced(server: H3Server, app: App) -> None:
    async with httpx.AsyncClient(transport=H3Transport(keepalive_expiry=0.2)) as client:
        first = await client.get(server.url())
        await asyncio.sleep(1.5)  # well past the idle limit: QUIC closes the connection
        second = await client.get(server.url())
    assert first.text == second.text == "hello over HTTP/3"
    assert len(app.peers) == 2  # a new connection, from a new UDP port


async def test_closing_the_client_during_a_handshake_fails_its_waiters() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as hole:  # answers nothing
        hole.bind(("127.0.0.1", 0))
        hole.settimeout(10)
        transport = H3Transport()
        async with httpx.AsyncClient(transport=transport, timeout=10.0) as client:
            url = f"https://127.0.0.1:{hole.getsockname()[1]}/"
            waiting = asyncio.create_task(client.get(url))
            await asyncio.to_thread(hole.recv, 65536)  # the handshake's first datagram
            await transport.aclose()
            with pytest.raises(httpx.ConnectError, match="closed during the QUIC handshake"):
                await waiting
