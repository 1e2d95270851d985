"""The semantic cache with its default embedder, the real local MiniLM."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fluent_ai.engine.cache import HIT_KEY, Cached
from fluent_ai.engine.semantic import SemanticIndex
from tests.support.minilm import minilm_cache
from tests.support.replay import replay_server
from tests.unit.engine.recorded import openai, openai_answer, openai_request

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with minilm_cache(tmp_path_factory) as root:
        yield root


async def test_a_paraphrase_hits_and_another_question_does_not(minilm: Path) -> None:
    index = SemanticIndex(threshold=0.85)  # the default embedder: local MiniLM
    with replay_server([openai_answer()] * 2) as server:
        async with Cached(openai(server.base_url), semantic=index) as model:
            await model.complete(openai_request("What is the capital of France?"))
            paraphrase = await model.complete(openai_request("what's the capital of france"))
            other = await model.complete(openai_request("Write a haiku about the sea."))
    assert len(server.received) == 2
    report = paraphrase.extra[HIT_KEY]
    assert report["threshold"] == 0.85
    assert 0.85 <= report["similarity"] <= 1.0
    assert HIT_KEY not in other.extra
