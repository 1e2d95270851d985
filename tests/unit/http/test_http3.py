"""HTTP/3 against a real HTTP/3 server on loopback (hypercorn over aioquic).

Every test starts its own server (free ports, its own certificate authority), so they
run in any order and in parallel workers.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytest.importorskip("aioquic", reason="needs the http3 extra: pip install 'fluent-ai[http3]'")
pytest.importorskip("hypercorn")
pytest.importorskip("trustme")

from fluent_ai.http import (
    HttpCache,
    HttpClient,
    RetryPolicy,
    SyncHttpClient,
    Timeouts,
    cache_info,
)
from fluent_ai.http.h3_route import HTTP3_VARIABLE
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


class Gate:
    """A route that sends ``first``, then waits for the test to open it before ``second``."""

    def __init__(self) -> None:
        self.opened = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"first\n", "more_body": True})
        for _ in range(1000):  # ten seconds at most, then the body ends anyway
            if self.opened.is_set():
                break
            await asyncio.sleep(0.01)
        await send({"type": "http.response.body", "body": b"second\n"})


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    body = await read_body(receive)
    marker = dict(scope["headers"]).get(b"x-marker", b"")
    await answer(send, 201, scope["method"].encode() + b" " + marker + b" " + body)


async def silent(scope: Scope, receive: Receive, send: Send) -> None:
    await read_body(receive)
    await asyncio.sleep(10)
    await answer(send, 200, b"too late")


@pytest.fixture
def gate() -> Gate:
    return Gate()


@pytest.fixture
def app(gate: Gate) -> App:
    return App(routes={"/echo": echo, "/gate": gate, "/silent": silent})


@pytest.fixture
def server(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[H3Server]:
    with h3_server(app, tmp_path) as running:
        monkeypatch.setenv("SSL_CERT_FILE", str(running.ca_file))
        yield running


async def upgraded(client: HttpClient, server: H3Server) -> None:
    """One request over TCP, which brings the server's Alt-Svc offer."""
    response = await client.request("GET", server.url())
    assert response.http_version == "HTTP/2"


async def test_a_request_over_http3(server: H3Server, app: App) -> None:
    async with httpx.AsyncClient(transport=H3Transport()) as client:
        response = await client.post(
            server.url("/echo"), content=b'{"q": 1}', headers={"X-Marker": "m1"}
        )
    assert response.http_version == "HTTP/3"
    assert (response.status_code, response.text) == (201, 'POST m1 {"q": 1}')
    assert response.headers["content-type"] == "text/plain"
    assert app.versions == [("/echo", "3")]


async def test_alt_svc_offer_moves_the_host_to_http3(server: H3Server, app: App) -> None:
    async with HttpClient(http3=True, http2=True) as client:
        first = await client.request("GET", server.url())
        second = await client.request("POST", server.url("/echo"), json={"a": 1})
        third = await client.request("GET", server.url())
    assert first.http_version == "HTTP/2"
    assert first.headers["alt-svc"] == f'h3=":{server.port}"; ma=3600'
    assert (second.http_version, second.text) == ("HTTP/3", 'POST  {"a":1}')
    assert third.text == "hello over HTTP/3"
    assert [version for _, version in app.versions] == ["2", "3", "3"]


async def test_the_environment_switches_http3_on(
    server: H3Server, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HTTP3_VARIABLE, "1")
    async with HttpClient(http2=True) as client:
        await upgraded(client, server)
        assert (await client.request("GET", server.url())).http_version == "HTTP/3"
    monkeypatch.setenv(HTTP3_VARIABLE, "0")
    async with HttpClient(http2=True) as client:
        for _ in range(2):
            assert (await client.request("GET", server.url())).http_version == "HTTP/2"


def test_an_unreadable_switch_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HTTP3_VARIABLE, "maybe")
    with pytest.raises(errors.ConfigurationError, match="FLUENT_AI_HTTP3='maybe'"):
        HttpClient()


def test_http3_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aioquic", None)  # what an environment without it finds
    with pytest.raises(errors.ConfigurationError, match=r"pip install 'fluent-ai\[http3\]'"):
        HttpClient(http3=True)
    monkeypatch.setenv(HTTP3_VARIABLE, "1")
    with pytest.raises(errors.ConfigurationError, match="aioquic"):
        HttpClient()


async def test_a_stream_arrives_chunk_by_chunk(server: H3Server, gate: Gate) -> None:
    """The second chunk is only sent once the client has the first: a buffering client
    would get both together, after the gate gave up waiting."""
    async with HttpClient(http3=True, http2=True) as client:
        await upgraded(client, server)
        async with client.stream("GET", server.url("/gate")) as response:
            assert response.http_version == "HTTP/3"
            chunks = response.aiter_bytes()
            first = await anext(chunks)
            gate.opened.set()
            rest = b"".join([chunk async for chunk in chunks])
    assert (first, rest) == (b"first\n", b"second\n")


async def test_a_stream_closed_early_leaves_the_connection_usable(
    server: H3Server, app: App
) -> None:
    async with HttpClient(http3=True, http2=True) as client:
        await upgraded(client, server)
        async with client.stream("GET", server.url("/gate")) as response:
            assert await anext(response.aiter_bytes()) == b"first\n"
        after = await client.request("GET", server.url())
    assert after.text == "hello over HTTP/3"
    assert app.versions[-1] == ("/hello", "3")


async def test_silence_before_the_answer_is_a_typed_timeout(server: H3Server) -> None:
    quick = Timeouts(read=0.3)
    async with HttpClient(http3=True, http2=True, retry=None) as client:
        await upgraded(client, server)
        with pytest.raises(errors.TimeoutError, match="timed out waiting for data"):
            await client.request("GET", server.url("/silent"), timeouts=quick)


async def test_silence_inside_a_stream_interrupts_it(server: H3Server) -> None:
    quick = Timeouts(read=0.3)
    async with HttpClient(http3=True, http2=True, retry=None) as client:
        await upgraded(client, server)
        async with client.stream("GET", server.url("/gate"), timeouts=quick) as response:
            chunks = response.aiter_bytes()
            assert await anext(chunks) == b"first\n"
            with pytest.raises(errors.StreamInterruptedError, match="timed out waiting for data"):
                await anext(chunks)


async def test_concurrent_requests_share_one_quic_connection(server: H3Server, app: App) -> None:
    async with HttpClient(http3=True, http2=True) as client:
        await upgraded(client, server)
        tcp_peers = set(app.peers)
        responses = await asyncio.gather(*[client.request("GET", server.url()) for _ in range(20)])
    assert {response.text for response in responses} == {"hello over HTTP/3"}
    assert len(app.peers - tcp_peers) == 1


async def test_retries_and_the_cache_work_over_http3(
    server: H3Server, app: App, tmp_path: Path
) -> None:
    statuses = [503, 200]

    async def flaky(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        await answer(send, statuses.pop(0), b"flaky")

    async def cached(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        headers = [(b"cache-control", b"max-age=600"), (b"content-length", b"5")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"fresh"})

    app.routes.update({"/flaky": flaky, "/cached": cached})
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(max_attempts=3, sleep=sleep)
    cache = HttpCache(tmp_path / "cache")
    async with HttpClient(http3=True, http2=True, retry=policy, cache=cache) as client:
        await upgraded(client, server)
        retried = await client.request("GET", server.url("/flaky"))
        first = await client.request("GET", server.url("/cached"))
        again = await client.request("GET", server.url("/cached"))
    assert (retried.status_code, len(waits)) == (200, 1)
    assert (first.text, again.text) == ("fresh", "fresh")
    info = cache_info(again)
    assert info is not None
    assert info.from_cache
    assert app.versions[1:] == [("/flaky", "3"), ("/flaky", "3"), ("/cached", "3")]


def test_aioquic_waits_for_the_first_http3_request() -> None:
    probe = (
        "import sys\nfrom fluent_ai.http import HttpClient\nHttpClient(http3=True)\n"
        "print(sorted({name.partition('.')[0] for name in sys.modules}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    roots = done.stdout.splitlines()[-1]
    assert "'httpx'" in roots
    assert "'aioquic'" not in roots


async def test_closing_the_client_ends_a_stream_in_progress(server: H3Server) -> None:
    async with HttpClient(http3=True, http2=True) as client:
        await upgraded(client, server)
        async with client.stream("GET", server.url("/gate")) as response:
            chunks = response.aiter_bytes()
            assert await anext(chunks) == b"first\n"
            await client.aclose()
            with pytest.raises(errors.StreamInterruptedError, match="the client was closed"):
                await anext(chunks)


def test_the_sync_client_streams_over_http3(server: H3Server, gate: Gate) -> None:
    gate.opened.set()
    with SyncHttpClient(HttpClient(http3=True, http2=True)) as client:
        assert client.request("GET", server.url()).http_version == "HTTP/2"
        with client.stream("GET", server.url("/gate")) as response:
            body = b"".join(response.iter_bytes())
    assert (response.http_version, body) == ("HTTP/3", b"first\nsecond\n")
