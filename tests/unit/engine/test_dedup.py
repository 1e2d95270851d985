"""Identical in-flight requests share one upstream call, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from fluent_ai.engine.dedup import Deduplicated
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    InvalidRequestError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
)
from tests.support.held_replay import held_replay_server
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


async def _read(model: Deduplicated, request: ChatRequest | None = None) -> list[StreamEvent]:
    async with aclosing(model.stream(request or gemini_request())) as events:
        return [event async for event in events]


async def test_a_hundred_identical_streams_make_one_upstream_call() -> None:
    with replay_server([gemini_stream()]) as direct_server:
        async with gemini(direct_server.base_url) as direct:
            expected = [e async for e in direct.stream(gemini_request())]
    with held_replay_server([gemini_stream()], hold_after=0) as (server, hold):
        async with Deduplicated(gemini(server.base_url)) as model:
            tasks = [asyncio.create_task(_read(model)) for _ in range(100)]
            assert await asyncio.to_thread(hold.wait_reached)
            assert model.waiters(gemini_request()) == 100
            hold.release.set()
            results = await asyncio.gather(*tasks)
    assert len(server.received) == 1
    assert not server.errors
    assert model.upstream_calls == 1
    assert all(events == expected for events in results)
    assert model.in_flight() == 0


async def test_a_hundred_identical_completions_make_one_upstream_call() -> None:
    with held_replay_server([openai_answer()]) as (server, hold):
        async with Deduplicated(openai(server.base_url)) as model:
            tasks = [asyncio.create_task(model.complete(openai_request())) for _ in range(100)]
            assert await asyncio.to_thread(hold.wait_reached)
            hold.release.set()
            answers: list[ChatResponse] = await asyncio.gather(*tasks)
    assert len(server.received) == 1
    assert {a.text for a in answers} == {"The capital of France is Paris."}
    assert all(a == answers[0] for a in answers)


async def test_a_late_joiner_gets_every_event_from_the_start() -> None:
    with held_replay_server([gemini_stream()], hold_after=1) as (server, hold):
        async with Deduplicated(gemini(server.base_url)) as model:
            first = model.stream(gemini_request())
            early = [await anext(first)]
            while not any(isinstance(e, TextDelta) for e in early):
                early.append(await anext(first))  # the held server sent one message
            late = model.stream(gemini_request())
            joined = [await anext(late)]  # joins the call in flight, from its first event
            assert model.waiters(gemini_request()) == 2
            hold.release.set()
            rest = [e async for e in first]
            joined += [e async for e in late]
    assert len(server.received) == 1
    assert joined == early + rest
    assert "".join(e.text for e in joined if isinstance(e, TextDelta)) == (
        "The capital of France is Paris.\n"
    )


async def test_a_cancelled_waiter_does_not_cancel_the_others() -> None:
    with held_replay_server([gemini_stream()], hold_after=1) as (server, hold):
        async with Deduplicated(gemini(server.base_url)) as model:
            quitter = asyncio.create_task(_read(model))
            stayer = asyncio.create_task(_read(model))
            assert await asyncio.to_thread(hold.wait_reached)
            quitter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await quitter
            assert model.waiters(gemini_request()) == 1
            hold.release.set()
            events = await stayer
    assert len(server.received) == 1
    assert "".join(e.text for e in events if isinstance(e, TextDelta)).endswith("Paris.\n")


async def test_when_every_waiter_leaves_the_upstream_call_is_dropped() -> None:
    with held_replay_server([gemini_stream(), gemini_stream()], hold_after=1) as (server, hold):
        async with Deduplicated(gemini(server.base_url)) as model:
            only = asyncio.create_task(_read(model))
            assert await asyncio.to_thread(hold.wait_reached)
            only.cancel()
            with pytest.raises(asyncio.CancelledError):
                await only
            assert model.in_flight() == 0
            hold.release.set()
            again = await _read(model)  # a new call, not the abandoned one
    assert len(server.received) == 2
    assert any(isinstance(e, TextDelta) for e in again)


async def test_an_upstream_error_reaches_every_waiter_as_the_same_typed_error() -> None:
    with held_replay_server([failing(gemini_stream())]) as (server, hold):
        async with Deduplicated(gemini(server.base_url)) as model:
            tasks = [asyncio.create_task(_read(model)) for _ in range(10)]
            assert await asyncio.to_thread(hold.wait_reached)
            hold.release.set()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert len(server.received) == 1
    assert all(isinstance(o, InvalidRequestError) for o in outcomes)
    assert all(o is outcomes[0] for o in outcomes)
    assert "Invalid value" in str(outcomes[0])


async def test_a_stream_broken_midway_fails_every_waiter_after_the_same_events() -> None:
    with held_replay_server([cut_short(gemini_stream())], hold_after=1) as (server, hold):
        async with Deduplicated(gemini(server.base_url)) as model:
            seen: list[list[StreamEvent]] = [[] for _ in range(5)]

            async def read(into: list[StreamEvent]) -> None:
                async with aclosing(model.stream(gemini_request())) as events:
                    async for event in events:
                        into.append(event)

            tasks = [asyncio.create_task(read(into)) for into in seen]
            assert await asyncio.to_thread(hold.wait_reached)
            hold.release.set()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert len(server.received) == 1
    assert all(isinstance(o, StreamInterruptedError) and o is outcomes[0] for o in outcomes)
    assert all(events == seen[0] for events in seen)
    assert any(isinstance(e, TextDelta) for e in seen[0])


async def test_a_cancelled_completion_waiter_leaves_the_others_their_answer() -> None:
    with held_replay_server([openai_answer(), openai_answer()]) as (server, hold):
        async with Deduplicated(openai(server.base_url)) as model:
            quitter = asyncio.create_task(model.complete(openai_request()))
            stayer = asyncio.create_task(model.complete(openai_request()))
            assert await asyncio.to_thread(hold.wait_reached)
            quitter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await quitter
            assert model.in_flight() == 1
            stayer.cancel()  # the last waiter: the call itself is cancelled
            with pytest.raises(asyncio.CancelledError):
                await stayer
            assert model.in_flight() == 0
            hold.release.set()
            answer = await model.complete(openai_request())  # a new call
    assert len(server.received) == 2
    assert answer.text == "The capital of France is Paris."


async def test_a_completion_can_opt_out() -> None:
    alone = openai_request(metadata={"fluent_ai.dedup": "off"})
    with held_replay_server([openai_answer()] * 2) as (server, hold):
        async with Deduplicated(openai(server.base_url)) as model:
            tasks = [
                asyncio.create_task(model.complete(openai_request())),
                asyncio.create_task(model.complete(alone)),
            ]
            assert await asyncio.to_thread(hold.wait_reached)
            hold.release.set()
            first, second = await asyncio.gather(*tasks)
    assert len(server.received) == 2
    assert first.text == second.text
    assert all(r.body is not None and "metadata" not in r.body for r in server.received)


async def test_a_failed_completion_fails_every_waiter() -> None:
    with held_replay_server([failing(openai_answer())]) as (server, hold):
        async with Deduplicated(openai(server.base_url)) as model:
            tasks = [asyncio.create_task(model.complete(openai_request())) for _ in range(5)]
            assert await asyncio.to_thread(hold.wait_reached)
            hold.release.set()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert len(server.received) == 1
    assert all(isinstance(o, InvalidRequestError) and o is outcomes[0] for o in outcomes)


async def test_sharing_ends_with_the_call_and_different_requests_never_share() -> None:
    with replay_server([gemini_stream()] * 3) as server:
        async with Deduplicated(gemini(server.base_url)) as model:
            await _read(model)
            await _read(model)  # the first call has ended: nothing is kept
            await _read(model, gemini_request("What is the capital of Spain?"))
    assert len(server.received) == 3
    assert model.upstream_calls == 3


async def test_a_request_can_opt_out_and_its_switch_never_goes_upstream() -> None:
    with held_replay_server([gemini_stream()] * 2, hold_after=0) as (server, hold):
        async with Deduplicated(gemini(server.base_url)) as model:
            own = gemini_request(metadata={"fluent_ai.dedup": "off"})
            shared = asyncio.create_task(_read(model))
            alone = asyncio.create_task(_read(model, own))
            assert await asyncio.to_thread(hold.wait_reached)
            hold.release.set()
            await asyncio.gather(shared, alone)
    assert len(server.received) == 2
    assert all("metadata" not in str(r.body) for r in server.received)
