"""The least a Python gateway does, on the gateway's own server and HTTP client: the floor.

    FLUENT_AI_RELAY_UPSTREAM=http://127.0.0.1:PORT python -m uvicorn benchmarks.relay_app:app

A bare ASGI app (no framework, no keys, no metrics, no log, no router, no model
translation): it reads the body, renames the model, forwards it with
:class:`~fluent_ai.http.client.HttpClient` over the same HTTP/1.1 transport, and sends
the answer back with the model renamed again, streamed chunk by chunk when asked.
:mod:`benchmarks.bench_gateway` runs it under ``fluent-ai serve``'s uvicorn protocol
beside the gateway: the difference is what the gateway's own work costs, and the
relay's own overhead is what no gateway in Python can go below on this machine.
It understands just enough for the benchmark: it is not a gateway.
"""

from __future__ import annotations

import os
from typing import Any

import orjson

from fluent_ai.http.client import HttpClient

UPSTREAM = "FLUENT_AI_RELAY_UPSTREAM"
"""The variable naming the upstream's base URL (``/v1/chat/completions`` is added)."""
MODEL = "bench-20"
"""The upstream's model name (the fake upstream answers with that many deltas)."""

_client: HttpClient | None = None


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _client
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        if _client is not None:
            await _client.aclose()
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["path"] != "/v1/chat/completions":  # the health check
        await _reply(send, 200, b"{}", b"application/json")
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if _client is None:
        _client = HttpClient()
    call = orjson.loads(body)
    asked, call["model"] = call["model"], MODEL
    url = os.environ[UPSTREAM] + "/v1/chat/completions"
    content = orjson.dumps(call)
    headers = {"authorization": "Bearer bench", "content-type": "application/json"}
    if not call.get("stream"):
        answer = await _client.request("POST", url, content=content, headers=headers)
        data = orjson.loads(answer.content)
        data["model"] = asked
        await _reply(send, answer.status_code, orjson.dumps(data), b"application/json")
        return
    async with _client.stream("POST", url, content=content, headers=headers) as answer:
        start = [(b"content-type", b"text/event-stream")]
        await send({"type": "http.response.start", "status": answer.status_code, "headers": start})
        async for chunk in answer.aiter_bytes():
            renamed = chunk.replace(MODEL.encode(), asked.encode())
            await send({"type": "http.response.body", "body": renamed, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _reply(send: Any, status: int, body: bytes, kind: bytes) -> None:
    headers = [(b"content-type", kind), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
