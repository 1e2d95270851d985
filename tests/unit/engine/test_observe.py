"""Observed: an event pair and metrics for every call, over recorded traffic on loopback."""

from __future__ import annotations

import logging
from contextlib import aclosing

import pytest

from fluent_ai.engine.observe import Observed
from fluent_ai.engine.observe_events import CallEnd, CallEvent, CallStart
from fluent_ai.engine.observe_metrics import Metrics
from fluent_ai.providers import ChatModel
from fluent_ai.providers.pricing import cost_usd
from fluent_ai.types import (
    FinishReason,
    InvalidRequestError,
    StreamInterruptedError,
    TextDelta,
    collect_stream,
)
from tests.support.replay import replay_server
from tests.unit.engine.recorded import (
    cut_short,
    failing,
    gemini,
    gemini_request,
    gemini_stream,
    openai,
    openai_answer,
    openai_request,
)


def pair(events: list[CallEvent]) -> tuple[CallStart, CallEnd]:
    start, end = events
    assert isinstance(start, CallStart)
    assert isinstance(end, CallEnd)
    assert start.id == end.id
    return start, end


async def test_a_completed_call_is_a_start_and_an_end_with_usage_and_cost() -> None:
    events: list[CallEvent] = []
    with replay_server([openai_answer()]) as server:
        async with Observed(openai(server.base_url), on_event=events.append) as model:
            assert isinstance(model, ChatModel)
            assert model.provider == "openai"
            response = await model.complete(openai_request())
    start, end = pair(events)
    assert (start.model, start.provider, start.deployment, start.stream) == (
        "gpt-4o",
        "openai",
        None,
        False,
    )
    assert start.request == openai_request()
    assert end.outcome == "ok"
    assert end.ok
    assert end.response == response
    assert end.usage == response.usage
    assert end.usage.total_tokens > 0
    assert response.cost_usd is not None
    assert end.cost_usd == response.cost_usd
    assert end.cost_usd == cost_usd("openai", "gpt-4o", response.usage)
    assert end.finish_reason is FinishReason.STOP
    assert end.response_id == response.id
    assert end.response_model == response.model
    assert end.first_event is None  # complete: there is no first event to time
    assert end.latency > 0
    assert end.error is None
    assert end.error_type is None

    stats = model.metrics()["openai/gpt-4o"]
    assert (stats.requests, stats.errors, stats.in_flight) == (1, 0, 0)
    assert stats.input_tokens == response.usage.input_tokens
    assert stats.output_tokens == response.usage.output_tokens
    assert stats.cost_usd == response.cost_usd
    assert stats.latency is not None
    assert stats.latency.p50 == end.latency
    assert stats.first_event is None


async def test_a_stream_passes_every_event_through_and_times_the_first() -> None:
    with replay_server([gemini_stream()]) as server:
        async with gemini(server.base_url) as direct:
            expected = [e async for e in direct.stream(gemini_request())]
    events: list[CallEvent] = []
    with replay_server([gemini_stream()]) as server:
        model = Observed(gemini(server.base_url), on_event=events.append, name="gemini-a")
        async with model, aclosing(model.stream(gemini_request())) as stream:
            got = [e async for e in stream]
    assert got == expected
    start, end = pair(events)
    assert start.stream
    assert start.deployment == "gemini-a"
    assert end.ok
    assert end.first_event is not None
    assert 0 < end.first_event <= end.latency
    assert end.response is not None
    assert end.response.text == "".join(e.text for e in expected if isinstance(e, TextDelta))
    assert end.response.text
    stats = model.metrics()["gemini-a"]  # a name keys the figures
    assert stats.requests == 1
    assert stats.first_event is not None


async def test_a_failed_call_is_an_end_with_its_error_type() -> None:
    events: list[CallEvent] = []
    with replay_server([failing(openai_answer())]) as server:
        async with Observed(openai(server.base_url), on_event=events.append) as model:
            with pytest.raises(InvalidRequestError) as info:
                await model.complete(openai_request())
    _, end = pair(events)
    assert end.outcome == "error"
    assert not end.ok
    assert end.error is info.value
    assert end.error_type == "InvalidRequestError"
    assert end.response is None
    assert end.cost_usd is None
    stats = model.metrics()["openai/gpt-4o"]
    assert (stats.requests, stats.errors, stats.error_rate) == (1, 1, 1.0)
    assert stats.error_types == {"InvalidRequestError": 1}
    assert stats.latency is None  # only answered calls count in the latencies


async def test_a_broken_stream_is_recorded_with_what_arrived_and_its_error_re_raised() -> None:
    events: list[CallEvent] = []
    received: list[str] = []

    async def read(model: Observed) -> None:
        async with aclosing(model.stream(gemini_request())) as stream:
            async for event in stream:
                if isinstance(event, TextDelta):
                    received.append(event.text)

    with replay_server([cut_short(gemini_stream())]) as server:
        async with Observed(gemini(server.base_url), on_event=events.append) as model:
            with pytest.raises(StreamInterruptedError) as info:
                await read(model)
    _, end = pair(events)
    assert end.outcome == "error"
    assert end.error is info.value
    assert end.error_type == "StreamInterruptedError"
    assert received  # the stream broke after some of the answer
    assert end.response is not None
    assert end.response.text == "".join(received)
    assert end.first_event is not None
    assert model.metrics()["google/gemini-2.0-flash-exp"].errors == 1


async def test_a_reader_that_stops_early_ends_the_call_as_cancelled() -> None:
    events: list[CallEvent] = []
    with replay_server([gemini_stream()]) as server:
        model = Observed(gemini(server.base_url), on_event=events.append)
        async with model, aclosing(model.stream(gemini_request())) as stream:
            async for event in stream:
                if isinstance(event, TextDelta):
                    break
    _, end = pair(events)
    assert end.outcome == "cancelled"
    assert end.error_type is None
    stats = model.metrics()["google/gemini-2.0-flash-exp"]
    assert (stats.requests, stats.errors, stats.cancelled) == (1, 0, 1)


async def test_a_callback_that_raises_is_logged_and_the_call_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(event: CallEvent) -> None:
        raise RuntimeError("dashboard down")

    with replay_server([gemini_stream()]) as server:
        async with Observed(gemini(server.base_url), on_event=broken) as model:
            with caplog.at_level(logging.WARNING, logger="fluent_ai.engine"):
                response = await collect_stream(model.stream(gemini_request()))
    assert response.text
    failures = [r for r in caplog.records if "on_event callback failed" in r.getMessage()]
    assert len(failures) == 2  # the start and the end, each logged with its traceback
    assert all(r.exc_info and r.exc_info[0] is RuntimeError for r in failures)
    assert model.metrics()["google/gemini-2.0-flash-exp"].requests == 1


async def test_metrics_as_a_callback_gather_several_models() -> None:
    metrics = Metrics()
    with replay_server([openai_answer()]) as a, replay_server([gemini_stream()]) as b:
        async with (
            Observed(openai(a.base_url), on_event=metrics, name="a") as first,
            Observed(gemini(b.base_url), on_event=metrics, name="b") as second,
        ):
            await first.complete(openai_request())
            await collect_stream(second.stream(gemini_request()))
    figures = metrics.snapshot()
    assert sorted(figures) == ["a", "b"]
    assert figures["a"].requests == figures["b"].requests == 1
    assert figures["a"].input_tokens == first.metrics()["a"].input_tokens > 0
