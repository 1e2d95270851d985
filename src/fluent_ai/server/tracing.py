"""One OpenTelemetry ``SERVER`` span per HTTP request, when the gateway's telemetry is on.

The span follows the HTTP semantic conventions: named ``{method} {route}`` (``POST
/v1/chat/completions``; the method alone for a path no route matched), with
``http.request.method``, ``url.path``, ``url.scheme``, ``http.route``,
``http.response.status_code``, ``server.address`` and ``server.port`` (from the ``Host``
header), ``client.address``, ``network.protocol.version`` and ``user_agent.original``.
A 5xx marks it an error (``error.type`` the status), as the conventions say for a
server; a 4xx is the caller's mistake, not the server's, and leaves the status unset.

It is made current around the whole request, so the engine's GenAI ``CLIENT`` span of
the model call (:mod:`fluent_ai.engine.telemetry`) — and its attempts' spans beneath
it — are its children, and a stream's span ends with its last byte. An incoming W3C
``traceparent`` (the globally configured propagator) makes it a child of the caller's
span, so one trace runs from the application through the gateway to the vendor.

No query string, header value other than the user agent, or body is put on it: keys
travel in headers, prompts in bodies.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Traced:
    """ASGI middleware: a ``SERVER`` span around each HTTP request (see the module)."""

    def __init__(self, app: ASGIApp, tracer: Tracer) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        parent = propagate.extract(headers)
        span = self.tracer.start_span(
            method, context=parent, kind=SpanKind.SERVER, attributes=_request(scope, headers)
        )
        token = context.attach(trace.set_span_in_context(span, parent))
        status: int | None = None

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except BaseException as exc:
            span.record_exception(exc)
            span.set_attribute("error.type", type(exc).__qualname__)
            span.set_status(Status(StatusCode.ERROR, type(exc).__qualname__))
            raise
        finally:
            route = getattr(scope.get("route"), "path", None)
            if isinstance(route, str):  # the matched route's template, known only now
                span.set_attribute("http.route", route)
                span.update_name(f"{method} {route}")
            if status is not None:
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_attribute("error.type", str(status))
                    span.set_status(Status(StatusCode.ERROR))
            context.detach(token)
            span.end()


def _request(scope: Scope, headers: dict[str, str]) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "http.request.method": scope["method"],
        "url.path": scope.get("path", ""),
        "url.scheme": scope.get("scheme", "http"),
        "network.protocol.version": scope.get("http_version", "1.1"),
    }
    host, port = _host(headers.get("host"), scope.get("server"))
    if host:
        attributes["server.address"] = host
    if port is not None:
        attributes["server.port"] = port
    client = scope.get("client")
    if client:
        attributes["client.address"] = client[0]
    agent = headers.get("user-agent")
    if agent:
        attributes["user_agent.original"] = agent
    return attributes


def _host(header: str | None, server: Any) -> tuple[str, int | None]:
    """The server's name and port as the caller addressed it, else the socket's."""
    if header:
        name, colon, port = header.rpartition(":")
        if colon and port.isdigit() and (not name.startswith("[") or name.endswith("]")):
            return name.strip("[]"), int(port)  # host:port, or [v6 address]:port
        return header.strip("[]"), None
    if server:
        return str(server[0]), int(server[1]) if server[1] is not None else None
    return "", None
