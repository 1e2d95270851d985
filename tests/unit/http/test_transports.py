"""The network under HttpClient: which transport is chosen, and behaviour both must share.

Every loopback test in this folder already runs once per transport (the ``server``
fixture); these are the checks that concern the choice itself and what only a second
transport could get wrong (decompression, keep-alive, the pool limit).
"""

from __future__ import annotations

import asyncio
import gzip
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from fluent_ai.http import POOL_LIMITS, HttpClient, Timeouts
from fluent_ai.http.h1_transport import Http1Transport
from fluent_ai.http.transports import TRANSPORT_VARIABLE, network_transport
from fluent_ai.types import errors
from tests.unit.http.loopback import Loopback, Received, Reply, loopback_server

if TYPE_CHECKING:
    from tests.support.tls import LoopbackTLS


def test_http11_goes_through_h1_and_http2_through_httpx(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(TRANSPORT_VARIABLE, raising=False)
    assert isinstance(network_transport(http2=False, limits=POOL_LIMITS), Http1Transport)
    assert isinstance(network_transport(http2=True, limits=POOL_LIMITS), httpx.AsyncHTTPTransport)


def test_the_environment_can_force_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TRANSPORT_VARIABLE, "HTTPX")
    transport = network_transport(http2=False, limits=POOL_LIMITS)
    assert isinstance(transport, httpx.AsyncHTTPTransport)


def test_an_unknown_transport_name_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TRANSPORT_VARIABLE, "curl")
    with pytest.raises(errors.ConfigurationError, match="h1, httpx"):
        HttpClient()


async def test_a_compressed_body_is_decoded_once(server: Loopback) -> None:
    text = b'{"data": []}' * 50
    server.reply(Reply(200, {"content-encoding": "gzip"}, gzip.compress(text)))
    async with HttpClient() as client:
        response = await client.request("GET", server.url())
    assert response.content == text
    assert response.headers["content-encoding"] == "gzip"


async def test_requests_reuse_one_kept_alive_connection(server: Loopback) -> None:
    server.reply(Reply(200, body=b"one"), Reply(200, chunks=[b"data: two\n\n"]))
    async with HttpClient() as client:
        await client.request("GET", server.url())
        async with client.stream("POST", server.url(), json={}) as response:
            assert await response.aread() == b"data: two\n\n"
    first, second = server.received
    assert first.port == second.port


async def test_a_stream_left_unread_leaves_the_next_request_a_clean_connection(
    server: Loopback,
) -> None:
    server.reply(Reply(200, chunks=[b"data: a\n\n"] * 200), Reply(200, body=b"next"))
    async with HttpClient() as client:
        async with client.stream("GET", server.url()) as response:
            async for _ in response.aiter_bytes():
                break
        response = await client.request("GET", server.url())
    assert response.content == b"next"


async def test_waiting_too_long_for_a_free_connection_is_a_typed_timeout(
    server: Loopback,
) -> None:
    arrived = threading.Event()

    def slow(request: Received) -> Reply:
        arrived.set()
        return Reply(200, body=b"slow", delay=1.0)

    server.reply(slow, Reply(200))
    quick = Timeouts(connect=0.2, read=5.0, write=1.0, pool=0.2, total=None)
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with HttpClient(retry=None, limits=one, timeouts=quick) as client:
        busy = asyncio.create_task(client.request("GET", server.url()))
        assert await asyncio.to_thread(arrived.wait, 5)
        with pytest.raises(errors.TimeoutError, match="timed out"):
            await client.request("GET", server.url())
        assert (await busy).content == b"slow"
    assert len(server.received) == 1


@pytest.fixture
def tls(tmp_path: Path) -> LoopbackTLS:
    pytest.importorskip("cryptography")
    from tests.support.tls import loopback_tls

    return loopback_tls(tmp_path)


async def test_https_trusts_what_httpx_trusts(
    network: str, tls: LoopbackTLS, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx.create_ssl_context reads SSL_CERT_FILE; both transports verify against it.
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    with loopback_server(tls.server) as server:
        server.reply(Reply(200, chunks=[b"data: secure\n\n"]))
        async with (
            HttpClient(retry=None) as client,
            client.stream("POST", server.url("/v1/chat"), json={}) as response,
        ):
            assert await response.aread() == b"data: secure\n\n"
    assert server.base_url.startswith("https://")


async def test_an_untrusted_certificate_is_a_typed_connection_error(
    network: str, tls: LoopbackTLS
) -> None:
    with loopback_server(tls.server) as server:
        async with HttpClient(retry=None) as client:
            with pytest.raises(errors.ConnectionError, match="connection failed") as caught:
                await client.request("GET", server.url("/v1/models"), provider="openai")
    assert caught.value.provider == "openai"
    assert server.received == []
