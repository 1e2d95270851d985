"""The gateway's own work per call, in process: its layers without a server or an upstream.

    uv run --all-extras --group bench python -m benchmarks.bench_gateway_layers [--access-log]

Calls the ASGI app :func:`~fluent_ai.server.create_app` builds (Starlette, the
metrics and access-log layer, the handlers, the wire's decoding and encoding) the way
an ASGI server would, with the served model answering from memory (:class:`Canned`:
a prebuilt answer of 20 deltas, whole or streamed), so what is timed is what the
gateway adds between reading a request and writing its answer: no socket, no upstream,
no router. Median and best µs of CPU per call over rounds, for whole and streamed calls;
with ``--access-log`` each call's JSON line is written (to ``/dev/null``) as
``fluent-ai serve`` writes it to stderr.
This is steadier than the loopback benchmark (:mod:`benchmarks.bench_gateway`) on a
shared machine, and it is the part of the overhead the server package controls.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import sys
import time
from collections.abc import AsyncGenerator
from typing import Any

import orjson

from fluent_ai.server import create_app
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    Finish,
    FinishReason,
    ResponseStart,
    StreamEvent,
    TextDelta,
    Usage,
    UsageUpdate,
    collect_events,
)

ROUNDS = 7
CALLS = 2000
EVENTS: list[StreamEvent] = [
    ResponseStart(id="chatcmpl-bench", model="bench"),
    *(TextDelta(f"tok{i} ") for i in range(20)),
    UsageUpdate(Usage(input_tokens=5, output_tokens=20)),
    Finish(FinishReason.STOP),
]


class Canned:
    """A chat model that answers every call with :data:`EVENTS` (no network)."""

    provider = "canned"

    def __init__(self) -> None:
        self.answer: ChatResponse = collect_events(EVENTS)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        for event in EVENTS:
            yield event

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return self.answer

    async def aclose(self) -> None:
        return None

    async def __aenter__(self) -> Canned:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


async def call(app: Any, body: bytes) -> int:
    """One POST /v1/chat/completions through ``app``; the bytes of its answer."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/chat/completions",
        "raw_path": b"/v1/chat/completions",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"authorization", b"Bearer bench"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4000),
        "state": {},
    }
    sent = 0
    done = asyncio.Event()
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()  # the caller stays until the answer is complete
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal sent
        sent += len(message.get("body", b""))
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    await app(scope, receive, send)
    return sent


async def rounds(app: Any, body: bytes) -> list[float]:
    for _ in range(200):  # warm-up
        await call(app, body)
    seen = []
    for _ in range(ROUNDS):
        start = time.process_time()  # CPU time: what others run on the machine is not counted
        for _ in range(CALLS):
            await call(app, body)
        seen.append((time.process_time() - start) / CALLS * 1e6)
    return seen


def log_access() -> None:
    """The access log as ``fluent-ai serve`` sets it up, but into ``/dev/null``."""
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115  # until exit
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("fluent_ai.server.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


async def main() -> None:
    app = create_app({"bench": Canned()})
    question = {"model": "bench", "messages": [{"role": "user", "content": "hi"}]}
    streamed = {**question, "stream": True, "stream_options": {"include_usage": True}}
    for name, body in (("whole", question), ("streamed", streamed)):
        seen = await rounds(app, orjson.dumps(body))
        print(
            f"{name:<9} median {statistics.median(seen):6.1f} µs CPU/call, best {min(seen):6.1f}"
            f" ({ROUNDS} rounds of {CALLS})"
        )


if __name__ == "__main__":
    import uvloop

    if "--access-log" in sys.argv[1:]:
        log_access()
    uvloop.run(main())
