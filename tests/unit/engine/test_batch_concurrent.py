"""Batching without a batch API (concurrent calls under a limit), choosing the way, routers
and the sync twins, over the loopback double's recorded chat answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fluent_ai.engine import Deployment, Route, Router
from fluent_ai.engine.batch import BatchProgress, Polling, batch, batch_sync
from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import ChatResponse, ConfigurationError, InvalidRequestError
from tests.support.batch_server import BatchServer, batch_server
from tests.unit.engine.test_batch_api import OPENAI_ASKED, OPENAI_REFUSED, asking, recorded_text

FAST = Polling(interval=0.01, max_interval=0.02)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[BatchServer]:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("GROQ_API_KEY", "test-key")
    with batch_server() as running:
        yield running
    assert running.errors == []


def router(server: BatchServer, *specs: str, max_in_flight: int | None = None) -> Router:
    return Router(
        Deployment(
            spec,
            name=spec.partition("/")[0],
            base_url=server.base_url + "/v1",
            max_in_flight=max_in_flight,
        )
        for spec in specs
    )


async def test_concurrent_calls_respect_the_limit_and_keep_the_order(server: BatchServer) -> None:
    server.hold = 3  # each call waits (briefly) until 3 are in flight at once
    asked = [*OPENAI_ASKED, OPENAI_REFUSED, *OPENAI_ASKED]
    seen: list[BatchProgress] = []
    async with chat_model(
        "openai/gpt-4o", api_key="test-key", base_url=server.base_url + "/v1"
    ) as model:
        results = await batch(
            model, asking("gpt-4o", *asked), concurrency=3, on_progress=seen.append
        )

    assert server.max_in_flight == 3
    for question, result in zip(asked, results, strict=True):
        if question == OPENAI_REFUSED:
            assert isinstance(result, InvalidRequestError)  # and the others went on
        else:
            assert isinstance(result, ChatResponse)
            assert result.text == recorded_text(server, "openai", question)
    assert [p.done for p in seen] == list(range(1, 8))
    assert {p.total for p in seen} == {7}
    assert seen[-1] == BatchProgress(7, 7, 1, "done", None)
    assert not server.batches  # no batch API was used


async def test_a_router_runs_under_its_deployments_in_flight_caps(server: BatchServer) -> None:
    server.hold = 2
    async with router(server, "openai/gpt-4o", max_in_flight=2) as routed:
        results = await routed.batch(asking("gpt-4o", *OPENAI_ASKED * 2), concurrency=5)
    assert server.max_in_flight == 2
    assert all(isinstance(r, ChatResponse) for r in results)
    route = Route.of(results[0])
    assert route is not None
    assert route.deployment == "openai"


async def test_api_mode_through_a_router_uses_the_first_deployment_with_a_batch_api(
    server: BatchServer,
) -> None:
    async with router(server, "groq/llama-3.3-70b-versatile", "openai/gpt-4o") as routed:
        results = await routed.batch(asking("any", *OPENAI_ASKED), mode="api", polling=FAST)
    for question, result in zip(OPENAI_ASKED, results, strict=True):
        assert isinstance(result, ChatResponse)
        assert result.text == recorded_text(server, "openai", question)
        assert result.extra["fluent_ai.batch"]["deployment"] == "openai"
    (state,) = server.batches.values()
    assert [item["body"]["model"] for item in state["items"]] == ["gpt-4o"] * 3


async def test_auto_runs_concurrently_where_no_batch_api_serves(server: BatchServer) -> None:
    async with router(server, "groq/llama-3.3-70b-versatile") as routed:
        with pytest.raises(ConfigurationError, match="no batch API"):
            await routed.batch(asking("any", *OPENAI_ASKED), mode="api")
        results = await routed.batch(asking("any", *OPENAI_ASKED), mode="auto", polling=FAST)
    assert all(isinstance(r, ChatResponse) for r in results)
    assert not server.batches
    assert [p for _, p, _ in server.received] == ["/v1/chat/completions"] * 3


def test_sync_twins(server: BatchServer) -> None:
    with router(server, "openai/gpt-4o") as routed:
        by_api = routed.batch_sync(asking("gpt-4o", *OPENAI_ASKED), mode="api", polling=FAST)
        direct = batch_sync(routed, asking("gpt-4o", *OPENAI_ASKED), concurrency=2)
    for question, first, second in zip(OPENAI_ASKED, by_api, direct, strict=True):
        assert isinstance(first, ChatResponse)
        assert isinstance(second, ChatResponse)
        assert first.text == second.text == recorded_text(server, "openai", question)
    assert len(server.batches) == 1


async def test_bad_arguments_are_refused_clearly(server: BatchServer) -> None:
    async with chat_model(
        "openai/gpt-4o", api_key="test-key", base_url=server.base_url + "/v1"
    ) as model:
        with pytest.raises(ConfigurationError, match="mode must be one of auto, api, concurrent"):
            await batch(model, [], mode="fast")  # type: ignore[arg-type]
        with pytest.raises(ConfigurationError, match="concurrency must be 1 or more"):
            await batch(model, [], concurrency=0)
        with pytest.raises(ConfigurationError, match="not a router"):
            await batch(model, [], tags=["cheap"])
        assert await batch(model, [], mode="api") == []
    with pytest.raises(ConfigurationError, match="interval"):
        Polling(interval=0)
