"""The gateway under load with faults: every request answered exactly once, memory bounded.

Mixed streamed and whole requests go through the gateway (uvicorn in a thread,
:mod:`tests.support.gateway`) to a router over two upstreams that answer with real
recorded traffic (:mod:`tests.support.faults`); the first upstream fails now and then
(429 with ``retry-after``, 500, a hang past the read timeout, a stream cut before its
first event, a stream cut in its middle). Each upstream answer carries its own id, so
the client's answers can be matched to what the upstreams wrote: every whole answer
the client got is one upstream answer, no upstream answer went to two clients or to
none, and the faults were failed over (the requests they hit were answered by the
other upstream). A stream cut in its middle cannot be failed over — the client has
its first words — so it must end with an error event, never with ``[DONE]``.

The full soak (10,000 requests) runs only in the soak profile (``pytest --profile
soak``); the default run makes a few hundred.
"""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import psutil
import pytest

from fluent_ai.engine import Deployment, HealthPolicy, Router
from fluent_ai.http.timeouts import Timeouts
from tests.support.faults import (
    Cut,
    Hang,
    Ok,
    Served,
    Status,
    Upstream,
    upstreams,
    wait_until,
)
from tests.support.gateway import KEY_ENV, serving

MODEL = "mix"
CONCURRENCY = 16
FAULTS = (Status(429, retry_after=0.01), Status(500), Hang(2.0), Cut(after=0), Cut(after=2))
"""One of each, in this order, every ``EVERY`` requests the first upstream takes."""
EVERY = 20


def router(first: Upstream, second: Upstream) -> Router:
    """Fallbacks from ``first`` to ``second``; a failure cools nothing down for long, so
    the first upstream keeps taking traffic (and faults) all through the run."""
    quick = Timeouts(connect=2.0, read=0.3, write=2.0, pool=5.0, total=10.0)
    deployments = [
        Deployment(
            "openai/gpt-4o", name="a", base_url=first.v1, api_key_env=KEY_ENV, timeouts=quick
        ),
        Deployment("openai/gpt-4o", name="b", base_url=second.v1, api_key_env=KEY_ENV),
    ]
    health = HealthPolicy(allowed_failures=1000, cooldown=0.0, breaker_failures=1000)
    return Router(deployments, health=health, retry=None)


@pytest.fixture
def gateway() -> Iterator[tuple[Upstream, Upstream, str]]:
    with upstreams("a", "b") as (first, second), serving({MODEL: router(first, second)}) as url:
        yield first, second, url


@dataclass
class Outcome:
    """What the client saw of one request."""

    stream: bool
    status: int = 0
    ids: set[str] = field(default_factory=set)
    finished: bool = False  # a whole answer: a completion, or a stream ending in [DONE]
    error_event: bool = False


async def one(client: httpx.AsyncClient, stream: bool) -> Outcome:
    body: dict[str, object] = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
    outcome = Outcome(stream)
    if not stream:
        reply = await client.post("/v1/chat/completions", json=body)
        outcome.status = reply.status_code
        if reply.status_code == 200:
            outcome.ids.add(reply.json()["id"])
            outcome.finished = True
        return outcome
    body["stream"] = True
    async with client.stream("POST", "/v1/chat/completions", json=body) as reply:
        outcome.status = reply.status_code
        async for line in reply.aiter_lines():
            if not line.startswith("data: "):
                continue
            if line == "data: [DONE]":
                outcome.finished = True
                continue
            chunk = json.loads(line[6:])
            if "error" in chunk:
                outcome.error_event = True
            elif chunk.get("id"):
                outcome.ids.add(chunk["id"])
    return outcome


async def load(url: str, count: int) -> list[Outcome]:
    """``count`` requests, every third one streamed, ``CONCURRENCY`` at a time."""
    outcomes: list[Outcome] = []
    queue = iter(range(count))
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def worker() -> None:
            for n in queue:
                outcomes.append(await one(client, stream=n % 3 == 0))

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return outcomes


def injected(count: int) -> list[Ok | Status | Hang | Cut]:
    """The first upstream's script: a fault every ``EVERY`` requests, in turn."""
    return [FAULTS[(i // EVERY) % len(FAULTS)] if i % EVERY == 0 else Ok() for i in range(count)]


def streamed(served: Served) -> bool:
    return isinstance(served.body, dict) and served.body.get("stream") is True


def failed_over(served: Served) -> bool:
    """Whether this attempt on the first upstream failed before any answer (so the
    router tried the second)."""
    return isinstance(served.action, Status | Hang) or (
        served.action == Cut(0) and streamed(served)
    )


def soak(gateway: tuple[Upstream, Upstream, str], count: int) -> None:
    first, second, url = gateway
    process = psutil.Process()
    asyncio.run(load(url, 200))  # warm: pools, caches, first allocations
    gc.collect()
    before = process.memory_info().rss
    marks = len(first.served), len(second.served)
    first.script(*injected(count))
    outcomes = asyncio.run(load(url, count))
    gc.collect()
    grown = process.memory_info().rss - before
    ours, theirs = first.served[marks[0] :], second.served[marks[1] :]

    def written() -> set[str]:
        return {s.answer_id for s in ours + theirs if s.answered}

    assert len(outcomes) == count
    whole = [o for o in outcomes if o.finished]
    cut = [o for o in outcomes if not o.finished]
    # Each whole answer the client got is exactly one answer an upstream wrote, and
    # each answer an upstream wrote reached exactly one client.
    assert all(o.status == 200 and len(o.ids) == 1 and not o.error_event for o in whole)
    got = [next(iter(o.ids)) for o in whole]
    assert len(set(got)) == len(got), "an upstream answer reached two clients"
    wait_until(lambda: set(got) <= written())  # the upstream notes it after its last write
    assert set(got) == written()
    # The rest are streams cut after their first words, at most one for each stream
    # the first upstream cut mid-way (a whole answer cut short fails over, and so does
    # a stream whose words the reset took before the gateway read them), each ended
    # with an error event, never a clean finish. Which requests a cut lands on depends
    # on the order they reach the upstream: test_gateway cuts a stream for certain.
    cut_ids = {s.answer_id for s in ours if s.action == Cut(after=2)}
    assert len(cut) <= sum(1 for s in ours if s.action == Cut(after=2) and streamed(s))
    assert all(o.stream and o.status == 200 and o.error_event for o in cut)
    assert all(o.ids <= cut_ids for o in cut)
    # Every other fault was failed over: every kind was injected, and the second
    # upstream took at least each attempt that failed on the first (more while the
    # first sat out a 429's retry-after).
    for fault in FAULTS:
        assert any(s.action == fault for s in ours), f"{fault} was never injected"
    assert len(theirs) >= sum(map(failed_over, ours)) > 0
    assert grown < 48 * 2**20, f"RSS grew by {grown / 2**20:.0f} MiB over {count} requests"


def test_a_short_soak_answers_every_request_once(
    gateway: tuple[Upstream, Upstream, str],
) -> None:
    soak(gateway, 500)


@pytest.mark.soak
def test_ten_thousand_requests_answered_once_with_memory_bounded(
    gateway: tuple[Upstream, Upstream, str],
) -> None:
    soak(gateway, 10_000)


def test_a_client_that_leaves_mid_stream_cancels_the_upstream_request() -> None:
    with upstreams("slow") as (slow,):
        slow.default = Ok(gap=0.1)
        deployment = Deployment("openai/gpt-4o", name="slow", base_url=slow.v1, api_key_env=KEY_ENV)
        with serving({MODEL: Router([deployment], retry=None)}) as url:
            body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "stream": True}
            with (
                httpx.Client(base_url=url, timeout=10) as client,
                client.stream("POST", "/v1/chat/completions", json=body) as reply,
            ):
                assert reply.status_code == 200
                first = next(line for line in reply.iter_lines() if line.startswith("data:"))
                assert "chat.completion.chunk" in first
            # The client is gone: the gateway closes its upstream call, and the
            # upstream's next write finds the connection closed.
            wait_until(lambda: slow.served[0].dropped, timeout=10)
            assert not slow.served[0].answered
