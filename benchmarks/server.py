"""A minimal loopback HTTP/1.1 server that sends canned chat answers, for benchmarks.

It runs in its own process so that the client being measured does not share a GIL
with it. The model name picks the number of chunks: ``bench-500`` streams 500 text
deltas (an OpenAI request without ``"stream": true`` gets the same answer as one JSON
completion). Bodies are built once per chunk count and sent with one write, so the server
does as little as possible per request. ``bench-500@300`` paces the stream as a model
does: each event in a write of its own, 300 µs after the one before, so that a gateway
reads them one by one instead of many at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from functools import cache
from typing import cast

import httptools

from benchmarks.loop import run


@cache
def openai_stream(chunks: int) -> bytes:
    head = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "model": "bench"}
    lines: list[dict[str, object]] = [
        {**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}
    ]
    # Distinct texts: litellm aborts a stream that repeats the same chunk.
    lines += [
        {**head, "choices": [{"index": 0, "delta": {"content": f"tok{i} "}}]} for i in range(chunks)
    ]
    lines.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    lines.append(
        {
            **head,
            "choices": [],
            "usage": {"prompt_tokens": 5, "completion_tokens": chunks, "total_tokens": 5 + chunks},
        }
    )
    body = "".join(f"data: {json.dumps(x)}\n\n" for x in lines) + "data: [DONE]\n\n"
    return body.encode()


@cache
def openai_completion(chunks: int) -> bytes:
    """The whole answer of :func:`openai_stream` as one non-streamed completion."""
    text = "".join(f"tok{i} " for i in range(chunks))
    return json.dumps(
        {
            "id": "chatcmpl-bench",
            "object": "chat.completion",
            "created": 0,
            "model": "bench",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 5, "completion_tokens": chunks, "total_tokens": 5 + chunks},
        }
    ).encode()


@cache
def anthropic_stream(chunks: int) -> bytes:
    def ev(name: str, data: dict[str, object]) -> str:
        return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n"

    parts = [
        ev(
            "message_start",
            {
                "message": {
                    "id": "msg_bench",
                    "type": "message",
                    "role": "assistant",
                    "model": "bench",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 5, "output_tokens": 1},
                }
            },
        ),
        ev("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
    ]
    parts += [
        ev("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": f"t{i} "}})
        for i in range(chunks)
    ]
    parts += [
        ev("content_block_stop", {"index": 0}),
        ev(
            "message_delta",
            {
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": chunks},
            },
        ),
        ev("message_stop", {}),
    ]
    return "".join(parts).encode()


SERVED = [0]
"""Chat answers sent since start; ``GET /stats`` reports it (benchmarks count calls)."""


class Upstream(asyncio.Protocol):
    """One kept-alive connection, answered as its requests complete.

    A protocol over httptools' parser rather than asyncio's streams: each request costs
    one parse in C and one write, and no task switch, so that the upstream takes as
    little as it can of the two cores the gateway it answers is measured on."""

    def __init__(self) -> None:
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.url = b""
        self.body: list[bytes] = []
        self.pacing: asyncio.Task[None] | None = None  # held: the loop keeps only weak refs

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def connection_lost(self, exc: Exception | None) -> None:
        if self.pacing is not None:
            self.pacing.cancel()

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.write(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            self.close()

    def on_message_begin(self) -> None:
        self.url, self.body = b"", []

    def on_url(self, url: bytes) -> None:
        self.url += url  # a URL split over two reads comes in two pieces

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        path = self.url.decode("latin-1")
        body = json.loads(b"".join(self.body)) if self.body else {}
        if path == "/stats":  # how many answers were served: the upstream call count
            stats = json.dumps({"requests": SERVED[0]}).encode()
            self.write(_head(b"application/json", len(stats)) + stats)
            return
        SERVED[0] += 1
        size, _, pace = str(body.get("model", "bench-1")).rsplit("-", 1)[-1].partition("@")
        chunks = int(size)
        kind = b"text/event-stream"
        if "messages" in path:
            payload = anthropic_stream(chunks)
        elif body.get("stream"):
            payload = openai_stream(chunks)
        else:  # a non-streamed completion (benchmarks.bench_router)
            payload, kind = openai_completion(chunks), b"application/json"
        if pace and kind == b"text/event-stream":
            self.pacing = asyncio.get_running_loop().create_task(
                self._paced(payload, int(pace) / 1e6)
            )
            return
        self.write(_head(kind, len(payload)) + payload)

    async def _paced(self, payload: bytes, pause: float) -> None:
        """A stream's events each in a write (and a chunk) of its own, ``pause`` apart."""
        self.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        for event in payload.split(b"\n\n")[:-1]:
            await asyncio.sleep(pause)
            self.write(b"%x\r\n%s\n\n\r\n" % (len(event) + 2, event))
        self.write(b"0\r\n\r\n")

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


def _head(kind: bytes, length: int) -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-type: %s\r\ncontent-length: %d\r\n\r\n" % (kind, length)


def _exit_when_parent_leaves() -> None:
    """The parent holds our stdin; when it closes (or the parent dies) we stop."""
    sys.stdin.read()
    os._exit(0)


async def serve() -> None:
    threading.Thread(target=_exit_when_parent_leaves, daemon=True).start()
    server = await asyncio.get_running_loop().create_server(Upstream, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    run(serve())
