"""OpenTelemetry GenAI spans of observed calls, read back with the SDK's in-memory exporter;
and a router that fails over: an event per attempt, each attempt a child span."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from fluent_ai.engine import Deployment, Router, telemetry
from fluent_ai.engine.observe import Observed
from fluent_ai.engine.observe_events import CallEnd, CallEvent, CallStart
from fluent_ai.engine.observe_metrics import Metrics
from fluent_ai.types import InvalidRequestError, collect_stream
from tests.support import otel
from tests.support.replay import replay_server
from tests.unit.engine.recorded import (
    failing,
    gemini,
    gemini_request,
    gemini_stream,
    openai,
    openai_answer,
    openai_request,
)

EXPORTER = otel.EXPORTER


@pytest.fixture(scope="module", autouse=True)
def provider() -> None:
    """The process's one SDK tracer provider (tests.support.otel)."""
    otel.install()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


def attributes(span: ReadableSpan) -> dict[str, object]:
    return dict(span.attributes or {})


async def test_a_completed_call_is_a_genai_client_span(spans: InMemorySpanExporter) -> None:
    with replay_server([openai_answer()]) as server:
        async with Observed(openai(server.base_url), name="main") as model:
            response = await model.complete(openai_request(max_tokens=50, top_p=0.5))
    (span,) = spans.get_finished_spans()
    assert span.name == "chat gpt-4o"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert attributes(span) == {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.system": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.request.stream": False,
        "gen_ai.request.temperature": 0.0,
        "gen_ai.request.max_tokens": 50,
        "gen_ai.request.top_p": 0.5,
        "fluent_ai.deployment": "main",
        "gen_ai.response.model": response.model,
        "gen_ai.response.id": response.id,
        "gen_ai.response.finish_reasons": ("stop",),
        "gen_ai.usage.input_tokens": response.usage.input_tokens,
        "gen_ai.usage.output_tokens": response.usage.output_tokens,
        "fluent_ai.cost_usd": response.cost_usd,
    }


async def test_a_stream_span_has_the_time_to_its_first_chunk(
    spans: InMemorySpanExporter,
) -> None:
    events: list[CallEvent] = []
    with replay_server([gemini_stream()]) as server:
        async with Observed(gemini(server.base_url), on_event=events.append) as model:
            await collect_stream(model.stream(gemini_request()))
    (span,) = spans.get_finished_spans()
    found = attributes(span)
    assert span.name == "chat gemini-2.0-flash-exp"
    assert found["gen_ai.provider.name"] == "gcp.gemini"  # the conventions' name for Gemini
    assert found["gen_ai.request.stream"] is True
    end = events[-1]
    assert isinstance(end, CallEnd)
    assert found["gen_ai.response.time_to_first_chunk"] == end.first_event
    assert found["gen_ai.usage.output_tokens"] == end.usage.output_tokens > 0


async def test_a_failed_call_sets_error_type_and_an_error_status(
    spans: InMemorySpanExporter,
) -> None:
    with replay_server([failing(openai_answer())]) as server:
        async with Observed(openai(server.base_url)) as model:
            with pytest.raises(InvalidRequestError):
                await model.complete(openai_request())
    (span,) = spans.get_finished_spans()
    assert attributes(span)["error.type"] == "InvalidRequestError"
    assert span.status.status_code is StatusCode.ERROR
    assert (span.status.description or "").startswith("InvalidRequestError: ")


@pytest.mark.parametrize("mode", ["complete", "stream"])
async def test_a_router_failing_over_makes_an_event_and_a_child_span_per_attempt(
    spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("OBSERVE_KEY", "sk-test-observe-key")
    events: list[CallEvent] = []
    metrics = Metrics()

    def both(event: CallEvent) -> None:
        events.append(event)
        metrics(event)

    if mode == "stream":  # recorded streams: Gemini's; answers: OpenAI's
        item, spec, path, request = (
            gemini_stream(),
            "google/gemini-2.0-flash-exp",
            "/v1beta",
            gemini_request(),
        )
    else:
        item, spec, path, request = openai_answer(), "openai/gpt-4o", "/v1", openai_request()
    with replay_server([failing(item, 503)]) as down, replay_server([item]) as up:
        deployments = [
            Deployment(spec, name=name, base_url=server.base_url + path, api_key_env="OBSERVE_KEY")
            for name, server in (("down", down), ("up", up))
        ]
        router = Router(deployments, retry=None, on_event=both)
        async with Observed(router) as model:  # the whole call: the attempts' parent
            if mode == "stream":
                answer = await collect_stream(model.stream(request))
            else:
                answer = await model.complete(request)
    assert answer.text

    ends = [e for e in events if isinstance(e, CallEnd)]
    starts = [e for e in events if isinstance(e, CallStart)]
    assert [(e.deployment, e.outcome, e.error_type) for e in ends] == [
        ("down", "error", "ProviderUnavailableError"),
        ("up", "ok", None),
    ]
    assert [e.deployment for e in starts] == ["down", "up"]
    figures = metrics.snapshot()
    assert (figures["down"].errors, figures["up"].requests, figures["up"].errors) == (1, 1, 0)

    by_name = {s.attributes["fluent_ai.deployment"]: s for s in spans.get_finished_spans()
               if s.attributes and "fluent_ai.deployment" in s.attributes}  # fmt: skip
    (parent,) = [s for s in spans.get_finished_spans() if s.attributes
                 and s.attributes["gen_ai.provider.name"] == "router"]  # fmt: skip
    assert parent.parent is None
    assert set(by_name) == {"down", "up"}
    for child in by_name.values():
        assert child.parent is not None
        assert child.parent.span_id == parent.context.span_id
        assert child.context.trace_id == parent.context.trace_id
    assert by_name["down"].status.status_code is StatusCode.ERROR
    assert attributes(by_name["down"])["error.type"] == "ProviderUnavailableError"
    assert by_name["up"].status.status_code is StatusCode.UNSET


def test_without_opentelemetry_nothing_is_traced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telemetry, "_checked", False)
    monkeypatch.setattr(telemetry, "_tracer", None)
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    start = CallStart("id", 0.0, "gpt-4o", "openai", None, False, openai_request())
    assert telemetry.start_span(start) is None
    assert telemetry._checked


def test_observing_imports_no_opentelemetry_until_a_call() -> None:
    code = (
        "import sys, fluent_ai.engine.observe, fluent_ai.engine.member;"
        "assert not [m for m in sys.modules if m.startswith('opentelemetry')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
