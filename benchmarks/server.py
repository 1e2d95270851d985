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


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = json.loads(await reader.readexactly(length)) if length else {}
            if path == "/stats":  # how many answers were served: the upstream call count
                stats = json.dumps({"requests": SERVED[0]}).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n%s" % (len(stats), stats)
                )
                await writer.drain()
                continue
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
                await _paced(writer, payload, int(pace) / 1e6)
                continue
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: %s\r\n"
                b"content-length: %d\r\n\r\n%s" % (kind, len(payload), payload)
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _paced(writer: asyncio.StreamWriter, payload: bytes, pause: float) -> None:
    """A stream's events each in a write (and a chunk) of its own, ``pause`` apart."""
    writer.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    for event in payload.split(b"\n\n")[:-1]:
        await asyncio.sleep(pause)
        writer.write(b"%x\r\n%s\n\n\r\n" % (len(event) + 2, event))
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


def _exit_when_parent_leaves() -> None:
    """The parent holds our stdin; when it closes (or the parent dies) we stop."""
    sys.stdin.read()
    os._exit(0)


async def serve() -> None:
    threading.Thread(target=_exit_when_parent_leaves, daemon=True).start()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve())
