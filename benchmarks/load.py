"""A load generator that costs little: raw HTTP/1.1 over kept-alive connections.

A benchmark of a gateway on two shared cores measures the client too, so the client
here does the least it can: the request is built once as bytes, the answer is parsed
by httptools (in C) only as far as its framing and thrown away, and the caller runs
it on uvloop (:mod:`benchmarks.loop`). Each connection sends one request at a time
(no pipelining), as an SDK client does.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import cast

import httptools
import orjson


def post(path: str, body: object, *, key: str = "bench") -> bytes:
    """The whole request, once: a POST of ``body`` as JSON to ``path``, kept alive."""
    payload = orjson.dumps(body)
    head = (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"authorization: Bearer {key}\r\ncontent-length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


class Connection(asyncio.Protocol):
    """One kept-alive connection that sends a request and reads its whole answer.

    A protocol over httptools' parser rather than asyncio's streams: an answer costs a
    parse in C and one callback when it is complete (its body is framed by
    ``content-length`` or by chunks, as a kept-alive HTTP/1.1 answer must be), and no
    task switch per read."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.answer: asyncio.Future[int] | None = None
        self.lost: BaseException | None = None

    @classmethod
    async def open(cls, port: int) -> Connection:
        loop = asyncio.get_running_loop()
        _, conn = await loop.create_connection(cls, "127.0.0.1", port)
        return conn

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(ConnectionError(f"not an HTTP/1.1 answer: {exc}"))
            self.close()

    def on_message_complete(self) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_result(self.parser.get_status_code())

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = exc or ConnectionError("the server closed the connection")
        self._fail(self.lost)

    def _fail(self, exc: BaseException) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(exc)

    async def send(self, request: bytes) -> int:
        """The status, once the whole answer has been read (the body is not kept)."""
        if self.lost is not None or self.transport is None:
            raise ConnectionError("the connection is closed")
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.answer

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


@dataclass
class Run:
    """What one load run saw: each request's seconds, and the failures."""

    seconds: list[float] = field(default_factory=list)
    failed: int = 0
    wall: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.seconds) / self.wall if self.wall else 0.0


async def latencies(port: int, request: bytes, count: int, warmup: int = 20) -> Run:
    """``count`` requests one after another on one connection: the unloaded latency."""
    conn = await Connection.open(port)
    run = Run()
    try:
        for _ in range(warmup):
            await conn.send(request)
        start = time.perf_counter()
        for _ in range(count):
            began = time.perf_counter()
            status = await conn.send(request)
            if status == 200:
                run.seconds.append(time.perf_counter() - began)
            else:
                run.failed += 1
        run.wall = time.perf_counter() - start
    finally:
        conn.close()
    return run


async def saturate(port: int, request: bytes, connections: int, seconds: float) -> Run:
    """As many requests as ``connections`` concurrent connections get answered in
    ``seconds``: the saturated throughput (requests/s) and the latency under load."""
    conns = [await Connection.open(port) for _ in range(connections)]
    run = Run()
    for conn in conns:  # warm each connection (and the server's pools) once
        await conn.send(request)
    start = time.perf_counter()
    stop = start + seconds

    async def loop(conn: Connection) -> None:
        while time.perf_counter() < stop:
            began = time.perf_counter()
            try:
                status = await conn.send(request)
            except OSError:  # ConnectionError included
                run.failed += 1
                return
            if status == 200:
                run.seconds.append(time.perf_counter() - began)
            else:
                run.failed += 1

    try:
        await asyncio.gather(*(loop(conn) for conn in conns))
        run.wall = time.perf_counter() - start
    finally:
        for conn in conns:
            conn.close()
    return run
