"""A request's JSON body, read within the gateway's size limit.

The body is read from ``receive`` itself, not through Starlette's ``request.stream()``
(an async generator, a few µs a request, for a body that nearly always comes in one
message), and a declared ``Content-Length`` over the limit is refused before a byte
of it is read.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.types import Scope

from fluent_ai.server.errors import Failure, invalid_request


async def json_body(request: Request, limit: int) -> dict[str, Any] | Failure:
    """The request's JSON object, or why it cannot be read (over ``limit`` bytes: 413)."""
    declared = _declared_length(request.scope)
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return _too_large(limit)
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await request.receive()
        if message["type"] != "http.request":  # http.disconnect: the caller left
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        more = message.get("more_body", False)
        size += len(chunk)
        if size > limit:
            return _too_large(limit)
        chunks.append(chunk)
    try:
        body = orjson.loads(chunks[0] if len(chunks) == 1 else b"".join(chunks))
    except orjson.JSONDecodeError as exc:
        return invalid_request(f"the body is not JSON: {exc}")
    if not isinstance(body, dict):
        return invalid_request("the body must be a JSON object")
    return body


def _declared_length(scope: Scope) -> bytes | None:
    """The ``content-length`` header's value, read from the scope's raw headers: a
    ``Headers`` mapping is built for this one look-up otherwise."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return bytes(value)
    return None


def _too_large(limit: int) -> Failure:
    return Failure(413, "invalid_request", f"the body is larger than {limit} bytes")
