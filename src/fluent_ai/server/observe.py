"""What the gateway tells its operators: Prometheus metrics and one JSON line per request.

One pure ASGI layer (:class:`Observer`) wraps the whole app, so every request is
counted once, its status read from what was really sent and a stream timed to its
last byte, with no code in the handlers beyond noting what they know (the model
asked for, the tokens, the deployment that answered) in ``request.state``.

Neither the metrics nor the log line hold a prompt, an answer or a key: the model
name, the path, the status, times and token counts only.

With several workers (``fluent-ai serve --workers N``) each is its own process:
each counts in its own registry and shares it through a folder they all write to, and
``/metrics`` from any of them reports the sum (:mod:`.shared_metrics`).

The log line is handed to the ``fluent_ai.server.access`` logger's handlers as a
record made directly, without the caller lookup ``Logger.info`` does for each line (5 µs
of the 8 µs a line costs it, for a source line no access log needs); or, where the
buffered handler ``fluent-ai serve`` sets up is all that would see it, as the line
alone (:func:`~.access_log.sole_writer`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from prometheus_client import CollectorRegistry
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fluent_ai.server.access_log import sole_writer
from fluent_ai.server.counts import Counts
from fluent_ai.server.shared_metrics import SharedMetrics

access = logging.getLogger("fluent_ai.server.access")


@dataclass
class Noted:
    """What a handler knows about its call, for the metrics and the log line."""

    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    deployment: str = ""
    streamed: bool = False
    key: str = ""  # the virtual key's id (never its secret), when keys are on


class Telemetry:
    """The gateway's metrics (:class:`~.counts.Counts`), in a registry of its own (one
    per app), shared with the other workers through ``shared`` when there are several."""

    def __init__(self, shared: Path | None = None) -> None:
        self.counts = Counts()
        self.registry = CollectorRegistry()
        self.registry.register(self.counts)
        self.shared = SharedMetrics(self.registry, shared)
        self.account: Callable[[Noted], None] | None = None
        """Called with each finished call's notes (the gatekeeper's spend), if set."""

    def render(self) -> bytes:
        """The metrics in Prometheus' text format (every worker's, when shared)."""
        return self.shared.render()

    def finished(
        self, scope: Scope, status: int, seconds: float, first_byte: float | None, noted: Noted
    ) -> None:
        counts = self.counts
        path = scope.get("path", "")
        model = noted.model
        counts.answered(path, model, status)
        counts.timed(counts.seconds, path, model).observe(seconds)
        if first_byte is not None:
            counts.timed(counts.first_byte, path, model).observe(first_byte)
        if noted.input_tokens:
            counts.used(model, "input", noted.input_tokens)
        if noted.output_tokens:
            counts.used(model, "output", noted.output_tokens)
        if self.account is not None:
            self.account(noted)
        if access.isEnabledFor(logging.INFO):
            line = _line(scope, status, seconds, first_byte, noted)
            writer = sole_writer(access, logging.INFO)
            if writer is not None:
                writer.add(line)
            else:
                record = access.makeRecord(access.name, logging.INFO, __name__, 0, line, (), None)
                access.handle(record)


class Observer:
    """ASGI middleware: counts, times and logs every HTTP request."""

    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        noted = Noted()
        scope.setdefault("state", {})["noted"] = noted
        status, first_byte = 500, None

        async def sending(message: Message) -> None:
            nonlocal status, first_byte
            if message["type"] == "http.response.start":
                status = message["status"]
            elif first_byte is None and message.get("body"):
                first_byte = time.perf_counter() - start
            await send(message)

        counts = self.telemetry.counts
        counts.in_flight += 1
        try:
            await self.app(scope, receive, sending)
        finally:
            counts.in_flight -= 1
            elapsed = time.perf_counter() - start
            self.telemetry.finished(scope, status, elapsed, first_byte, noted)


def flush_access_log() -> None:
    """Write out the access lines the handlers hold (:mod:`.access_log`), as a worker
    stops: uvicorn ends a worker by raising the stop signal again once it has drained,
    which ends the process without the exit-time flush ``logging`` would do."""
    logger: logging.Logger | None = access
    while logger is not None:
        for handler in logger.handlers:
            handler.flush()
        logger = logger.parent if logger.propagate else None


def noted(state: Any) -> Noted:
    """The :class:`Noted` of a request (a fresh one where no :class:`Observer` runs)."""
    found = getattr(state, "noted", None)
    return found if isinstance(found, Noted) else Noted()


def _line(scope: Scope, status: int, seconds: float, first_byte: float | None, noted: Noted) -> str:
    entry: dict[str, Any] = {
        "time": round(time.time(), 3),
        "method": scope.get("method"),
        "path": scope.get("path"),
        "status": status,
        "seconds": round(seconds, 6),
    }
    if first_byte is not None:
        entry["first_byte"] = round(first_byte, 6)
    if noted.model:
        entry.update(model=noted.model, stream=noted.streamed)
        entry.update(input_tokens=noted.input_tokens, output_tokens=noted.output_tokens)
    if noted.deployment:
        entry["deployment"] = noted.deployment
    if noted.key:
        entry["key"] = noted.key  # the key's id: never its secret
    client = scope.get("client")
    if client:
        entry["client"] = client[0]
    return orjson.dumps(entry).decode()
