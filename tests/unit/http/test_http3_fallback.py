"""When QUIC cannot be reached, the request goes over TCP, and the host stays there a while.

The server speaks TLS over TCP only and advertises an HTTP/3 endpoint that does not
work: a UDP port where nothing listens (the kernel refuses datagrams), or one where a
socket swallows them (a network that drops UDP: the handshake times out).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("aioquic", reason="needs the http3 extra: pip install 'fluent-ai[http3]'")
pytest.importorskip("hypercorn")
pytest.importorskip("trustme")

from fluent_ai.http import HttpClient, Timeouts
from fluent_ai.types import errors
from tests.support.h3_server import App, h3_server, unused_udp_port

QUICK = Timeouts(connect=0.3, read=10.0)
"""A short connect limit, which bounds the QUIC handshake into the black hole."""


@pytest.fixture
def black_hole() -> Iterator[socket.socket]:
    """A bound UDP socket that reads nothing and answers nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as hole:
        hole.bind(("127.0.0.1", 0))
        hole.setblocking(False)
        yield hole


def swallowed(hole: socket.socket) -> int:
    """How many datagrams reached the black hole since the last call."""
    return len(senders(hole))


def senders(hole: socket.socket) -> list[int]:
    """The source port of each datagram that reached the black hole since the last call."""
    ports: list[int] = []
    while True:
        try:
            _, (_, port) = hole.recvfrom(65536)
        except BlockingIOError:
            return ports
        ports.append(port)


async def test_a_closed_udp_port_falls_back_to_http2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = App()
    advertised = f'h3=":{unused_udp_port()}"; ma=60'
    with h3_server(app, tmp_path, quic=False, alt_svc=advertised) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        async with HttpClient(http3=True, http2=True, retry=None) as client:
            first = await client.request("GET", server.url())
            assert first.headers["alt-svc"] == advertised
            with caplog.at_level(logging.INFO, logger="fluent_ai.http.h3_route"):
                second = await client.request("GET", server.url())
    assert (second.status_code, second.http_version) == (200, "HTTP/2")
    assert second.text == "hello over HTTP/2"
    assert "HTTP/3 to 127.0.0.1" in caplog.text
    assert "refused" in caplog.text
    assert [version for _, version in app.versions] == ["2", "2"]


async def test_without_http2_the_fallback_is_the_normal_route(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = App()
    advertised = f'h3=":{unused_udp_port()}"; ma=60'
    with h3_server(app, tmp_path, quic=False, alt_svc=advertised) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        async with HttpClient(http3=True, retry=None) as client:
            await client.request("GET", server.url())
            after = await client.request("GET", server.url())
    assert (after.status_code, after.http_version) == (200, "HTTP/1.1")


async def test_a_dropped_handshake_falls_back_and_is_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, black_hole: socket.socket
) -> None:
    app = App()
    advertised = f'h3=":{black_hole.getsockname()[1]}"; ma=60'
    with h3_server(app, tmp_path, quic=False, alt_svc=advertised) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        async with HttpClient(http3=True, http2=True, retry=None, timeouts=QUICK) as client:
            await client.request("GET", server.url())
            assert swallowed(black_hole) == 0
            tried = await client.request("POST", server.url(), json={"n": 1})
            assert swallowed(black_hole) > 0  # the handshake was attempted, and timed out
            later = [await client.request("GET", server.url()) for _ in range(3)]
            assert swallowed(black_hole) == 0  # the host is now reached over TCP only
    assert (tried.status_code, tried.http_version) == (200, "HTTP/2")
    assert all(response.http_version == "HTTP/2" for response in later)
    assert len(app.versions) == 5


async def test_a_stream_falls_back_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = App()
    advertised = f'h3=":{unused_udp_port()}"; ma=60'
    with h3_server(app, tmp_path, quic=False, alt_svc=advertised) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        async with HttpClient(http3=True, http2=True, retry=None) as client:
            await client.request("GET", server.url())
            async with client.stream("GET", server.url()) as response:
                body = await response.aread()
    assert (response.http_version, body) == ("HTTP/2", b"hello over HTTP/2")


async def test_the_total_limit_bounds_a_handshake_into_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, black_hole: socket.socket
) -> None:
    app = App()
    advertised = f'h3=":{black_hole.getsockname()[1]}"; ma=60'
    short = Timeouts(connect=5.0, total=0.5)
    with h3_server(app, tmp_path, quic=False, alt_svc=advertised) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        async with HttpClient(http3=True, http2=True, retry=None) as client:
            await client.request("GET", server.url())
            with pytest.raises(errors.TimeoutError, match=r"total limit of 0\.5 s"):
                await client.request("GET", server.url(), timeouts=short)
            assert swallowed(black_hole) > 0
            # The handshake the call gave up on goes on; the next call waits for it to
            # fail, and is answered over TCP.
            after = await client.request("GET", server.url(), timeouts=QUICK)
    assert after.http_version == "HTTP/2"


async def test_requests_during_a_failing_handshake_share_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, black_hole: socket.socket
) -> None:
    app = App()
    advertised = f'h3=":{black_hole.getsockname()[1]}"; ma=60'
    with h3_server(app, tmp_path, quic=False, alt_svc=advertised) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        async with HttpClient(http3=True, http2=True, retry=None, timeouts=QUICK) as client:
            await client.request("GET", server.url())
            calls = [client.request("GET", server.url()) for _ in range(5)]
            responses = await asyncio.gather(*calls)
            sources = set(senders(black_hole))
    assert [response.http_version for response in responses] == ["HTTP/2"] * 5
    assert len(sources) == 1  # one QUIC connection attempt, from one UDP socket
