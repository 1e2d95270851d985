"""Batch APIs end to end over HTTP: the loopback double of the OpenAI and Anthropic batch
envelopes (tests/support/batch_server.py), carrying real recorded chat answers."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from fluent_ai.engine.batch import (
    BatchExpiredError,
    BatchFailedError,
    BatchProgress,
    Polling,
    batch,
    batch_sync,
)
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.catalog import chat_model
from fluent_ai.providers.pricing import cost_usd
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    InvalidRequestError,
    Message,
    NotFoundError,
)
from tests.support.batch_server import BatchServer, batch_server
from tests.support.cassettes import load, recordings_dir

FAST = Polling(interval=0.01, max_interval=0.02)
OPENAI_ASKED = ["What is the capital of France?", "hello", "Answer in 5 words only. Who is Tux?"]
OPENAI_REFUSED = "Hello"  # recorded: HTTP 400, o1-mini takes no system role
ANTHROPIC_ASKED = [
    "What is the capital of France?",
    "How do I cross the street?",
    "The quick brown fox jumps over the lazydog.",
]
NOT_FOUND = "Count my tokens"  # answered with Anthropic's recorded 404 error body


@pytest.fixture
def server() -> Iterator[BatchServer]:
    with batch_server() as running:
        error = load(
            recordings_dir()
            / "anthropic"
            / "test_anthropic__test_anthropic_count_tokens_error.yaml"
        )
        running.answers["anthropic"][NOT_FOUND] = error[0]
        yield running
    assert running.errors == []


def openai(server: BatchServer) -> ChatModel:
    return chat_model("openai/gpt-4o", api_key="test-key", base_url=server.base_url + "/v1")


def anthropic(server: BatchServer) -> ChatModel:
    return chat_model("anthropic/claude-haiku-4-5", api_key="test-key", base_url=server.base_url)


def asking(model: str, *questions: str) -> list[ChatRequest]:
    return [ChatRequest(model=model, messages=[Message.user(q)]) for q in questions]


def recorded_text(server: BatchServer, provider: str, asked: str) -> str:
    body: Any = server.answers[provider][asked].response_body
    if provider == "openai":
        return str(body["choices"][0]["message"]["content"])
    return "".join(block["text"] for block in body["content"] if block["type"] == "text")


async def test_openai_batch_answers_in_order_with_typed_errors(server: BatchServer) -> None:
    seen: list[BatchProgress] = []
    requests = asking("gpt-4o", *OPENAI_ASKED, OPENAI_REFUSED)
    async with openai(server) as model:
        results = await batch(model, requests, mode="api", polling=FAST, on_progress=seen.append)

    *answers, refused = results
    for index, (asked, answer) in enumerate(zip(OPENAI_ASKED, answers, strict=True)):
        assert isinstance(answer, ChatResponse)
        assert answer.text == recorded_text(server, "openai", asked)
        note = answer.extra["fluent_ai.batch"]
        assert note["custom_id"] == f"request-{index}"
        assert note["batch_id"] in server.batches
        full = cost_usd("openai", "gpt-4o", answer.usage)
        assert full is not None
        assert answer.cost_usd == pytest.approx(full / 2)
    assert isinstance(refused, InvalidRequestError)
    assert refused.status == 400
    assert seen[-1] == BatchProgress(4, 4, 1, "completed", note["batch_id"])
    calls = [(method, path.split("/")[2]) for method, path, _ in server.received]
    assert calls[:3] == [("POST", "files"), ("POST", "batches"), ("GET", "batches")]
    assert [m for m, p, _ in server.received if p.endswith("/content")] == ["GET", "GET"]
    assert all(h["authorization"] == "Bearer test-key" for _, _, h in server.received)


async def test_openai_expired_items_get_batch_expired_error(server: BatchServer) -> None:
    server.expire = {"hello"}
    async with openai(server) as model:
        results = await batch(model, asking("gpt-4o", *OPENAI_ASKED), mode="api", polling=FAST)
    first, expired, third = results
    assert isinstance(first, ChatResponse)
    assert isinstance(third, ChatResponse)
    assert isinstance(expired, BatchExpiredError)
    assert expired.retryable
    assert "request-1" in str(expired)
    assert (
        server.batches[first.extra["fluent_ai.batch"]["batch_id"]]["object"]["status"] == "expired"
    )


async def test_anthropic_batch_answers_errors_and_expiry_in_order(server: BatchServer) -> None:
    server.expire = {"The quick brown fox jumps over the lazydog."}
    seen: list[BatchProgress] = []
    requests = asking("claude-haiku-4-5", *ANTHROPIC_ASKED, NOT_FOUND)
    async with anthropic(server) as model:
        results = await batch(model, requests, mode="auto", polling=FAST, on_progress=seen.append)

    first, second, expired, missing = results
    for asked, answer in ((ANTHROPIC_ASKED[0], first), (ANTHROPIC_ASKED[1], second)):
        assert isinstance(answer, ChatResponse)
        assert answer.text == recorded_text(server, "anthropic", asked)
        assert answer.provider == "anthropic"
    assert isinstance(second, ChatResponse)
    assert second.thinking  # the recorded answer's thinking block, decoded as usual
    assert isinstance(expired, BatchExpiredError)
    assert isinstance(missing, NotFoundError)
    assert "not_found_error" in str(missing)
    assert seen[-1].done == seen[-1].total == 4
    assert seen[-1].errors == 2
    assert seen[-1].status == "ended"
    assert all(h["x-api-key"] == "test-key" for _, _, h in server.received)
    assert all(h["anthropic-version"] == "2023-06-01" for _, _, h in server.received)


async def test_results_url_on_another_host_is_not_sent_the_key(server: BatchServer) -> None:
    server.base_url = server.base_url.replace("127.0.0.1", "localhost")  # results_url's host
    async with chat_model(
        "anthropic/claude-haiku-4-5",
        api_key="test-key",
        base_url=server.base_url.replace("localhost", "127.0.0.1"),
    ) as model:
        results = await batch(
            model, asking("claude-haiku-4-5", *ANTHROPIC_ASKED), mode="api", polling=FAST
        )
    assert all(isinstance(r, BatchFailedError) for r in results)
    assert "not sent elsewhere" in str(results[0])
    assert not [p for _, p, _ in server.received if p.endswith("/results")]


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
async def test_cancelling_the_caller_cancels_the_remote_batch(
    server: BatchServer, provider: str
) -> None:
    server.steps = None  # the batch never ends by itself
    model = openai(server) if provider == "openai" else anthropic(server)
    async with model:
        task = asyncio.create_task(
            batch(model, asking("m", *OPENAI_ASKED), mode="api", polling=FAST)
        )
        for _ in range(1000):
            if any(state["polls"] for state in server.batches.values()):
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError) as raised:
            await task
    (batch_id,) = server.batches
    assert server.cancelled == [batch_id]
    assert any(
        f"remote {provider} batch {batch_id} was cancelled too" in n for n in raised.value.__notes__
    )


async def test_a_refused_openai_batch_fails_every_item(server: BatchServer) -> None:
    server.refuse = "hello"
    async with openai(server) as model:
        results = await batch(model, asking("gpt-4o", *OPENAI_ASKED), mode="api", polling=FAST)
    assert all(isinstance(r, BatchFailedError) for r in results)
    assert "line 2: refused line (invalid_request)" in str(results[0])


async def test_a_refused_anthropic_submission_is_each_items_typed_error(
    server: BatchServer,
) -> None:
    server.refuse = ANTHROPIC_ASKED[0]
    async with anthropic(server) as model:
        results = await batch(model, asking("claude-haiku-4-5", *ANTHROPIC_ASKED), mode="api")
    assert all(isinstance(r, InvalidRequestError) for r in results)
    assert results[0] is results[1]
    assert not server.batches


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_in_the_sync_twin_cancels_the_remote_batch(server: BatchServer) -> None:
    server.steps = None

    def interrupt_once_polled() -> None:
        for _ in range(1000):
            if any(state["polls"] for state in server.batches.values()):
                break
            time.sleep(0.01)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)  # Ctrl-C

    interrupter = threading.Thread(target=interrupt_once_polled)
    model = openai(server)
    try:
        interrupter.start()
        with pytest.raises(KeyboardInterrupt):
            batch_sync(model, asking("gpt-4o", *OPENAI_ASKED), mode="api", polling=FAST)
        interrupter.join()
    finally:
        model.close()  # type: ignore[attr-defined]
    assert server.cancelled == list(server.batches)
    assert len(server.cancelled) == 1


async def test_an_observed_router_still_sends_its_batch_to_the_vendor(server: BatchServer) -> None:
    from fluent_ai.engine import Deployment, Router

    seen: list[object] = []
    deployment = Deployment(
        "openai/gpt-4o", base_url=server.base_url + "/v1", chat_model=openai(server)
    )
    async with Router([deployment], on_event=seen.append) as router:
        results = await router.batch(asking("gpt-4o", *OPENAI_ASKED), mode="api", polling=FAST)
    assert [type(r) for r in results] == [ChatResponse] * 3
    assert [p.split("/")[2] for _, p, _ in server.received[:2]] == ["files", "batches"]
    assert seen == []  # one job at the vendor, not calls observed one by one
