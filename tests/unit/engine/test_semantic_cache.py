"""The semantic cache: a near prompt reuses an answer, and says how near it was."""

from __future__ import annotations

import math

import pytest

from fluent_ai.engine.cache import HIT_KEY, Cached, CacheHit
from fluent_ai.engine.cache_memory import MemoryStore
from fluent_ai.engine.semantic import SemanticIndex
from fluent_ai.types import ConfigurationError, Message, ProviderData
from tests.support.replay import replay_server
from tests.support.word_hash import WordHashEmbedder
from tests.unit.engine.recorded import QUESTION, openai, openai_answer, openai_request

NEAR = "What is the capital city of France?"


def _cosine(a: str, b: str) -> float:
    embedder = WordHashEmbedder()
    u, v = embedder.vector(a), embedder.vector(b)
    return sum(x * y for x, y in zip(u, v, strict=True))


async def test_a_near_prompt_gets_the_cached_answer_with_the_similarity_reported() -> None:
    similarity = _cosine(QUESTION, NEAR)
    assert 0.8 < similarity < 1.0
    hits: list[CacheHit] = []
    index = SemanticIndex(WordHashEmbedder(), threshold=0.8)
    with replay_server([openai_answer()]) as server:
        async with Cached(openai(server.base_url), semantic=index, on_hit=hits.append) as model:
            first = await model.complete(openai_request())
            near = await model.complete(openai_request(NEAR))
            streamed = [e async for e in model.stream(openai_request(NEAR))]
    assert len(server.received) == 1
    assert near.text == first.text
    report = near.extra[HIT_KEY]
    assert report["kind"] == "semantic"
    assert report["threshold"] == 0.8
    assert report["similarity"] == pytest.approx(similarity, abs=1e-6)
    assert HIT_KEY not in first.extra
    assert [h.kind for h in hits] == ["semantic", "semantic"]
    assert hits[0].similarity == pytest.approx(similarity, abs=1e-6)
    assert hits[0].key != hits[0].matched_key
    assert isinstance(streamed[-2], ProviderData)
    assert HIT_KEY in streamed[-2].data
    assert model.stats.semantic_hits == 2


async def test_a_prompt_below_the_threshold_goes_upstream() -> None:
    index = SemanticIndex(WordHashEmbedder(), threshold=0.95)
    assert _cosine(QUESTION, NEAR) < 0.95
    with replay_server([openai_answer()] * 2) as server:
        async with Cached(openai(server.base_url), semantic=index) as model:
            await model.complete(openai_request())
            answer = await model.complete(openai_request(NEAR))
    assert len(server.received) == 2
    assert HIT_KEY not in answer.extra
    assert len(index) == 2


async def test_a_near_prompt_never_crosses_settings_or_history() -> None:
    index = SemanticIndex(WordHashEmbedder(), threshold=0.5)
    history = [Message.user("Hello"), Message.assistant("Hi!"), Message.user(NEAR)]
    with replay_server([openai_answer()] * 3) as server:
        async with Cached(openai(server.base_url), semantic=index) as model:
            await model.complete(openai_request())
            await model.complete(openai_request(NEAR, seed=3))
            await model.complete(openai_request(NEAR).model_copy(update={"messages": history}))
    assert len(server.received) == 3
    assert model.stats.semantic_hits == 0


async def test_an_expired_answer_is_not_served_by_a_near_prompt() -> None:
    now = [0.0]
    index = SemanticIndex(WordHashEmbedder(), threshold=0.8)
    store = MemoryStore(clock=lambda: now[0])
    with replay_server([openai_answer()] * 2) as server:
        async with Cached(openai(server.base_url), store=store, ttl=5, semantic=index) as model:
            await model.complete(openai_request())
            now[0] = 5
            await model.complete(openai_request(NEAR))
    assert len(server.received) == 2
    assert len(index) == 1  # the expired prompt was dropped, the new one kept


def test_a_threshold_outside_cosine_range_is_refused() -> None:
    for bad in (0.0, 1.5, -0.2, math.nan):
        with pytest.raises(ConfigurationError, match="threshold"):
            SemanticIndex(WordHashEmbedder(), threshold=bad)
