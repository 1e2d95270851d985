"""The HTTP/1.1 transport against a server that writes raw bytes: what only a
hand-built client could get wrong (framing, keep-alive, flow control, malformed input).

The server here speaks through a plain socket, answer by answer, so each test says on
the wire exactly what the transport must cope with.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest

from fluent_ai.http import POOL_LIMITS, HttpClient
from fluent_ai.http.h1_transport import Http1Transport
from fluent_ai.types import errors

Answer = Callable[[socket.socket, bytes], bool]
"""Writes the answer to one request (given its head and body); ``False`` closes."""


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        part = conn.recv(65536)
        if not part:
            return None
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


@contextmanager
def raw_server(*answers: Answer, host: str = "127.0.0.1") -> Iterator[tuple[str, list[int]]]:
    """Serves ``answers`` in turn, over whichever connections the client opens.

    Yields the base URL and the client port of each request (one port: one connection).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, 0), family=family)
    script = list(answers)
    ports: list[int] = []

    def serve(conn: socket.socket, port: int) -> None:
        with conn:
            while script:
                request = _read_request(conn)
                if request is None:
                    return
                ports.append(port)
                if not script.pop(0)(conn, request):
                    return

    def accept() -> None:
        while True:
            try:
                conn, address = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn, address[1]), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        yield f"http://{shown}:{listener.getsockname()[1]}", ports
    finally:
        listener.close()


def send(raw: bytes, keep: bool = True) -> Answer:
    def answer(conn: socket.socket, request: bytes) -> bool:
        conn.sendall(raw)
        return keep

    return answer


OK = send(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")


async def test_a_chunked_body_is_read_whole_and_the_connection_kept() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )
    with raw_server(send(chunked), OK) as (url, ports):
        async with HttpClient(retry=None) as client:
            assert (await client.request("GET", url)).content == b"abcde"
            assert (await client.request("GET", url)).content == b"ok"
    assert ports[0] == ports[1]


async def test_a_body_without_length_ends_when_the_server_closes() -> None:
    unframed = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\neverything until the end"
    with raw_server(send(unframed, keep=False), OK) as (url, ports):
        async with HttpClient(retry=None) as client:
            assert (await client.request("GET", url)).content == b"everything until the end"
            assert (await client.request("GET", url)).content == b"ok"
    assert ports[0] != ports[1]


async def test_an_informational_answer_is_skipped() -> None:
    early = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 4\r\n\r\ndone"
    with raw_server(send(early)) as (url, _):
        async with HttpClient(retry=None) as client:
            response = await client.request("POST", url, content=b"x")
    assert (response.status_code, response.content) == (201, b"done")
    assert response.reason_phrase == "Created"


async def test_a_head_answer_has_no_body_even_with_a_length() -> None:
    head = b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n"
    with raw_server(send(head), OK) as (url, _):
        async with HttpClient(retry=None) as client:
            response = await client.request("HEAD", url)
            assert (response.content, response.headers["content-length"]) == (b"", "1000")
            assert (await client.request("GET", url)).content == b"ok"


DROP = send(b"", keep=False)
"""Reads the request, then closes without a word: what a server closing an idle
connection looks like to a client whose request crossed the close."""


async def test_a_get_on_a_connection_the_server_closed_goes_again_on_a_new_one() -> None:
    with raw_server(OK, DROP, OK) as (url, ports):
        async with HttpClient(retry=None) as client:
            assert (await client.request("GET", url)).content == b"ok"
            assert (await client.request("GET", url)).content == b"ok"
    assert ports[0] == ports[1]
    assert ports[2] != ports[1]


async def test_a_post_on_a_connection_the_server_closed_is_left_to_the_retry_policy() -> None:
    # The server may have acted on it: whether to send it again is the policy's call.
    with raw_server(OK, DROP, OK) as (url, ports):
        async with HttpClient(retry=None) as client:
            await client.request("GET", url)
            with pytest.raises(errors.ConnectionError, match="without sending a response"):
                await client.request("POST", url, json={"n": 1})
    assert len(ports) == 2


async def test_a_body_larger_than_the_read_buffer_arrives_intact() -> None:
    big = bytes(range(256)) * (3 * 1024 * 1024 // 256)  # three times the high-water mark
    answer = b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(big), big)
    with raw_server(send(answer)) as (url, _):
        async with (
            HttpClient(retry=None) as client,
            client.stream("GET", url) as response,
        ):
            await asyncio.sleep(0.2)  # unread meanwhile: the transport stops reading at 1 MiB
            got = b"".join([chunk async for chunk in response.aiter_raw()])
    assert got == big


async def test_a_large_request_body_is_sent_whole() -> None:
    body = b"x" * (8 * 1024 * 1024)
    seen: list[int] = []

    def echo_length(conn: socket.socket, request: bytes) -> bool:
        seen.append(len(request.partition(b"\r\n\r\n")[2]))
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
        return True

    with raw_server(echo_length) as (url, _):
        async with HttpClient(retry=None) as client:
            assert (await client.request("POST", url, content=body)).status_code == 200
    assert seen == [len(body)]


async def test_a_malformed_answer_is_a_typed_error_and_the_connection_dropped() -> None:
    with raw_server(send(b"HTTP/1.1 2x0 Nope\r\n\r\n"), OK) as (url, ports):
        async with HttpClient(retry=None) as client:
            with pytest.raises(errors.ConnectionError, match="malformed"):
                await client.request("GET", url)
            assert (await client.request("GET", url)).content == b"ok"
    assert ports[0] != ports[1]


async def test_a_body_cut_short_raises_rather_than_ending_cleanly() -> None:
    cut = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part"
    with raw_server(send(cut, keep=False)) as (url, _):
        async with HttpClient(retry=None) as client:
            with pytest.raises(errors.ConnectionError, match="complete message body"):
                await client.request("GET", url)


async def test_a_header_that_would_split_the_request_is_refused_before_sending() -> None:
    with raw_server(OK) as (url, ports):
        async with httpx.AsyncClient(transport=Http1Transport(POOL_LIMITS)) as client:
            with pytest.raises(httpx.LocalProtocolError, match="illegal header"):
                await client.get(url, headers={"x-note": "a\r\nx-injected: yes"})
    assert ports == []


async def test_an_idle_connection_past_its_expiry_is_not_reused() -> None:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4, keepalive_expiry=0)
    with raw_server(OK, OK) as (url, ports):
        async with HttpClient(retry=None, limits=limits) as client:
            await client.request("GET", url)
            await client.request("GET", url)
    assert ports[0] != ports[1]


def test_a_client_serves_one_event_loop_after_another() -> None:
    # Two asyncio.run calls with one client: the first loop's connection is not reused.
    client = HttpClient(retry=None)
    with raw_server(OK, OK) as (url, ports):
        first = asyncio.run(client.request("GET", url))
        second = asyncio.run(client.request("GET", url))
    assert (first.content, second.content) == (b"ok", b"ok")
    assert ports[0] != ports[1]


def test_the_transport_runs_on_uvloop() -> None:
    # uvloop's transports are not asyncio's classes and its loop takes fewer options.
    uvloop = pytest.importorskip("uvloop")
    chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"

    async def twice(url: str) -> list[bytes]:
        async with HttpClient(retry=None) as client:
            return [(await client.request("GET", url)).content for _ in range(2)]

    with raw_server(send(chunked), OK) as (url, ports):
        assert uvloop.run(twice(url)) == [b"ab", b"ok"]
    assert ports[0] == ports[1]


async def test_a_second_answer_to_one_request_is_not_taken_for_the_next() -> None:
    twice = b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\none" * 2
    with raw_server(send(twice), OK) as (url, ports):
        async with HttpClient(retry=None) as client:
            assert (await client.request("GET", url)).content == b"one"
            assert (await client.request("GET", url)).content == b"ok"
    assert ports[0] != ports[1]


async def test_a_switch_of_protocols_is_a_typed_error() -> None:
    upgrade = b"HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: h2c\r\n\r\n"
    with raw_server(send(upgrade)) as (url, _):
        async with HttpClient(retry=None) as client:
            with pytest.raises(errors.ConnectionError, match="switched protocols"):
                await client.request("GET", url)


async def test_an_ipv6_host_is_reached_and_named_in_brackets() -> None:
    if not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    seen: list[bytes] = []

    def host_of(conn: socket.socket, request: bytes) -> bool:
        seen.extend(line for line in request.split(b"\r\n") if line.lower().startswith(b"host:"))
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
        return True

    with ExitStack() as stack:
        try:
            url, _ = stack.enter_context(raw_server(host_of, host="::1"))
        except OSError:
            pytest.skip("this machine cannot listen on ::1")
        async with HttpClient(retry=None) as client:
            assert (await client.request("GET", url)).content == b"ok"
    assert seen == [b"Host: [::1]:" + url.rsplit(":", 1)[1].encode()]
