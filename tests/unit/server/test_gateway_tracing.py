"""``telemetry: true``: each HTTP request is a SERVER span, the model call's span its child.

The gateway is built from its file (:func:`app_from_config`) and called in process over
ASGI; its router's upstream is a loopback server answering with recorded OpenAI traffic.
Spans are read from the OpenTelemetry SDK's in-memory exporter (:mod:`tests.support.otel`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")
pytest.importorskip("opentelemetry.sdk", reason="the OpenTelemetry SDK is not installed")

import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode
from starlette.applications import Starlette

from fluent_ai.server import create_app
from fluent_ai.server.config import app_from_config, served_models
from tests.support import otel
from tests.support.faults import Status, Upstream, upstream

KEY = "GATEWAY_TRACING_UPSTREAM_KEY"
BODY: dict[str, object] = {"model": "fast", "messages": [{"role": "user", "content": "hi"}]}
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def up(monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstream]:
    monkeypatch.setenv(KEY, "sk-upstream")
    with upstream("a") as found:
        yield found


def gateway_file(tmp_path: Path, up: Upstream, *, telemetry: bool = True) -> Path:
    path = tmp_path / "gateway.yaml"
    path.write_text(
        f"telemetry: {str(telemetry).lower()}\n"
        "routers:\n"
        "  fast:\n"
        "    retry: null\n"
        f"    deployments: [{{model: openai/gpt-4o, name: a, base_url: '{up.v1}', "
        f"api_key_env: {KEY}}}]\n"
    )
    return path


async def calls(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 5555))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway.test:4000") as client,
    ):
        yield client


async def spans_of(
    app: Starlette, *requests: tuple[str, str, dict[str, object] | None]
) -> list[ReadableSpan]:
    exporter = otel.install()
    exporter.clear()
    async for client in calls(app):
        for method, path, body in requests:
            await client.request(method, path, json=body, headers={"user-agent": "tester/1"})
    return list(exporter.get_finished_spans())


def server_spans(spans: list[ReadableSpan]) -> list[ReadableSpan]:
    return [s for s in spans if s.kind is SpanKind.SERVER]


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
async def test_a_call_is_a_server_span_over_the_model_call_s_span(
    tmp_path: Path, up: Upstream, stream: bool
) -> None:
    app = app_from_config(gateway_file(tmp_path, up))
    spans = await spans_of(app, ("POST", "/v1/chat/completions", {**BODY, "stream": stream}))
    [server] = server_spans(spans)
    [call] = [s for s in spans if s.name == "chat fast"]
    [attempt] = [s for s in spans if s.name == "chat gpt-4o"]
    assert server.name == "POST /v1/chat/completions"
    assert server.parent is None
    attributes = dict(server.attributes or {})
    assert attributes == {
        "http.request.method": "POST",
        "url.path": "/v1/chat/completions",
        "url.scheme": "http",
        "network.protocol.version": "1.1",
        "server.address": "gateway.test",
        "server.port": 4000,
        "client.address": "10.1.2.3",
        "user_agent.original": "tester/1",
        "http.route": "/v1/chat/completions",
        "http.response.status_code": 200,
    }
    assert call.kind is SpanKind.CLIENT
    assert call.parent is not None
    assert call.parent.span_id == server.context.span_id
    assert attempt.parent is not None
    assert attempt.parent.span_id == call.context.span_id
    assert server.context.trace_id == call.context.trace_id == attempt.context.trace_id
    assert server.end_time is not None
    assert call.end_time is not None
    assert server.end_time >= call.end_time  # a stream's span ends with its last byte
    assert server.status.status_code is StatusCode.UNSET


async def test_an_upstream_failure_marks_the_server_span_an_error(
    tmp_path: Path, up: Upstream
) -> None:
    up.script(Status(500))
    app = app_from_config(gateway_file(tmp_path, up))
    [server] = server_spans(await spans_of(app, ("POST", "/v1/chat/completions", BODY)))
    assert server.attributes is not None
    assert server.attributes["http.response.status_code"] == 503  # no deployment left
    assert server.attributes["error.type"] == "503"
    assert server.status.status_code is StatusCode.ERROR


async def test_a_caller_s_mistake_and_an_unknown_path_are_not_server_errors(
    tmp_path: Path, up: Upstream
) -> None:
    app = app_from_config(gateway_file(tmp_path, up))
    spans = await spans_of(
        app,
        ("POST", "/v1/chat/completions", {**BODY, "model": "nope"}),
        ("GET", "/v1/nowhere", None),
    )
    not_served, unknown = server_spans(spans)
    assert not_served.name == "POST /v1/chat/completions"
    assert not_served.attributes is not None
    assert not_served.attributes["http.response.status_code"] == 404
    assert unknown.name == "GET"  # no route matched: the method alone, as the conventions say
    assert unknown.attributes is not None
    assert "http.route" not in unknown.attributes
    assert unknown.attributes["url.path"] == "/v1/nowhere"
    assert all(s.status.status_code is StatusCode.UNSET for s in (not_served, unknown))


async def test_the_caller_s_trace_continues_through_the_gateway(
    tmp_path: Path, up: Upstream
) -> None:
    app = app_from_config(gateway_file(tmp_path, up))
    exporter = otel.install()
    exporter.clear()
    traceparent = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
    async for client in calls(app):
        reply = await client.post(
            "/v1/chat/completions", json=BODY, headers={"traceparent": traceparent}
        )
        assert reply.status_code == 200
    [server] = server_spans(list(exporter.get_finished_spans()))
    assert format(server.context.trace_id, "032x") == TRACE_ID
    assert server.parent is not None
    assert format(server.parent.span_id, "016x") == "00f067aa0ba902b7"


async def test_no_server_span_unless_telemetry_is_on(tmp_path: Path, up: Upstream) -> None:
    path = gateway_file(tmp_path, up, telemetry=False)
    spans = await spans_of(app_from_config(path), ("POST", "/v1/chat/completions", BODY))
    assert spans == []
    traced = create_app(served_models(gateway_file(tmp_path, up)), owned=True, traced=True)
    assert len(server_spans(await spans_of(traced, ("GET", "/health", None)))) == 1


@pytest.mark.parametrize(
    ("base_url", "address", "port"),
    [("http://gateway.test", "gateway.test", None), ("http://[::1]:8080", "::1", 8080)],
)
async def test_the_server_address_is_the_one_the_caller_used(
    base_url: str, address: str, port: int | None
) -> None:
    app = create_app({}, traced=True)
    exporter = otel.install()
    exporter.clear()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        assert (await client.get("/health")).status_code == 200
    [server] = server_spans(list(exporter.get_finished_spans()))
    assert server.attributes is not None
    assert server.attributes["server.address"] == address
    assert server.attributes.get("server.port") == port
