"""A load generator that costs little: raw asyncio HTTP/1.1 over kept-alive connections.

A benchmark of a gateway on two shared cores measures the client too, so the client
here does the least it can: the request is built once as bytes, the answer is read by
``content-length`` or by chunks and thrown away, and nothing is parsed beyond the
status line and the headers that frame the body. Each connection sends one request
at a time (no pipelining), as an SDK client does.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import orjson


def post(path: str, body: object, *, key: str = "bench") -> bytes:
    """The whole request, once: a POST of ``body`` as JSON to ``path``, kept alive."""
    payload = orjson.dumps(body)
    head = (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"authorization: Bearer {key}\r\ncontent-length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


class Connection:
    """One kept-alive connection that sends a request and reads its whole answer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, request: bytes) -> int:
        """The status; the body is read to its end (and its size checked, not kept)."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        at = lower.find(b"\r\ncontent-length:")  # whole names: not x-...-content-length
        if at >= 0:
            end = lower.index(b"\r\n", at + 2)
            await self.reader.readexactly(int(lower[at + 17 : end]))
        elif b"\r\ntransfer-encoding: chunked" in lower:
            while True:
                size = int((await self.reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:  # no framing: the body runs to the close
            await self.reader.read()
        return status

    def close(self) -> None:
        self.writer.close()


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
            except (OSError, asyncio.IncompleteReadError):
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
