"""The HTTP/1.1 transport's pool and limits: room made between origins, idle connections
kept within their limit, each timeout, and a closed transport.
"""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import httpx
import pytest

from fluent_ai.http import HttpClient, Timeouts
from fluent_ai.http.h1_transport import Http1Transport
from fluent_ai.types import errors
from tests.unit.http.test_h1_wire import OK, raw_server, send

ONE = httpx.Limits(max_connections=1, max_keepalive_connections=1)


async def test_a_full_pool_closes_another_origins_idle_connection_to_make_room() -> None:
    with raw_server(OK, OK) as (first, ports_a), raw_server(OK) as (second, ports_b):
        async with HttpClient(retry=None, limits=ONE) as client:
            assert (await client.request("GET", first)).content == b"ok"
            assert (await client.request("GET", second)).content == b"ok"
            assert (await client.request("GET", first)).content == b"ok"
    assert (len(ports_a), len(ports_b)) == (2, 1)
    assert ports_a[0] != ports_a[1]  # the first origin's connection gave its place


async def test_idle_connections_beyond_the_keepalive_limit_are_closed() -> None:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=1)
    slow = send(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
    with raw_server(slow, slow, OK, OK) as (url, ports):
        async with HttpClient(retry=None, limits=limits) as client:
            await asyncio.gather(client.request("GET", url), client.request("GET", url))
            await client.request("GET", url)
            await client.request("GET", url)
    assert len(set(ports[:2])) == 2  # two at once: two connections
    assert ports[2] == ports[3]
    assert ports[2] in ports[:2]  # one was kept, the other closed


async def test_by_default_every_connection_a_busy_moment_opened_is_kept_for_the_next() -> None:
    def slow(conn: socket.socket, request: bytes) -> bool:  # all thirty are in flight at once
        time.sleep(0.2)
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
        return True

    with raw_server(*[slow] * 60) as (url, ports):
        async with HttpClient(retry=None) as client:
            for _ in range(2):
                await asyncio.gather(*(client.request("GET", url) for _ in range(30)))
    assert len(ports) == 60
    assert len(set(ports)) == 30  # more than httpx's 20 kept: no new connection the second time


async def test_a_request_waits_for_a_connection_being_used() -> None:
    with raw_server(OK, OK) as (url, ports):
        async with HttpClient(retry=None, limits=ONE) as client:
            got = await asyncio.gather(client.request("GET", url), client.request("GET", url))
    assert [response.content for response in got] == [b"ok", b"ok"]
    assert ports[0] == ports[1]


async def test_a_connection_that_never_opens_is_a_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def unanswered(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(60)

    monkeypatch.setattr(asyncio.BaseEventLoop, "create_connection", unanswered)
    quick = Timeouts(connect=0.05, read=1.0, write=1.0, pool=1.0, total=None)
    async with HttpClient(retry=None, timeouts=quick) as client:
        with pytest.raises(errors.TimeoutError, match="connect"):
            await client.request("GET", "http://127.0.0.1:9/")


async def test_without_limits_a_request_waits_as_long_as_it_takes() -> None:
    unlimited = Timeouts(connect=None, read=None, write=None, pool=None, total=None)
    with raw_server(OK) as (url, _):
        async with HttpClient(retry=None, timeouts=unlimited) as client:
            assert (await client.request("GET", url)).content == b"ok"


async def test_a_closed_transport_refuses_and_other_schemes_are_not_its() -> None:
    transport = Http1Transport(ONE)
    with pytest.raises(httpx.UnsupportedProtocol, match="ftp://"):
        await transport.handle_async_request(httpx.Request("GET", "ftp://example.com/"))
    await transport.aclose()
    with pytest.raises(RuntimeError, match="has been closed"):
        await transport.handle_async_request(httpx.Request("GET", "http://127.0.0.1:9/"))


async def test_a_body_read_after_its_close_is_refused() -> None:
    with raw_server(OK) as (url, _):
        transport = Http1Transport(ONE)
        response = await transport.handle_async_request(httpx.Request("GET", url))
        await response.aread()
        await response.aclose()
        with pytest.raises(httpx.StreamClosed):
            async for _ in response.stream:  # type: ignore[union-attr]
                pass
        await transport.aclose()
