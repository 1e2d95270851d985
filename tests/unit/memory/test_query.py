"""A follow-up question finds what it is about once its context is blended in.

Embeddings come from the word-hash double, so closeness is shared words: "and what is
its name?" shares more words with the bakery's name than with Ada's cat, and only the
conversation it follows says it is about the cat.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator

import pytest

from fluent_ai.memory import Hit, InvalidMemoryError, Memory, MemoryRecord, Scope
from fluent_ai.memory.query import blend
from tests.support.word_hash import WordHashEmbedder

ADA = Scope(user="ada")


@pytest.fixture
async def memory(url: str) -> AsyncIterator[Memory]:
    async with Memory.open(url, embedder=WordHashEmbedder()) as store:
        yield store


async def first(
    memory: Memory, query: str, context: list[str] | None = None, weight: float = 0.5
) -> MemoryRecord:
    hits = await memory.search(
        query,
        scope=ADA,
        mode="vector",
        track_access=False,
        context=context or [],
        context_weight=weight,
    )
    return hits[0].memory


async def test_the_context_turns_a_follow_up_to_its_subject(memory: Memory) -> None:
    cat = await memory.add("Ada's cat is called Pixel", scope=ADA)
    bakery = await memory.add("The bakery's name is Crumbs", scope=ADA)
    question = "and what is its name?"

    assert (await first(memory, question)).id == bakery.id
    about = ["Tell me about Ada's cat"]
    assert (await first(memory, question, about)).id == cat.id
    # with no weight the context changes nothing
    assert (await first(memory, question, about, 0.0)).id == bakery.id


def test_the_question_keeps_the_larger_say() -> None:
    blended = blend([1.0, 0.0], [[0.0, 2.0], [0.0, 3.0]], 0.5)
    assert math.isclose(math.hypot(*blended), 1.0)
    assert blended[0] > blended[1] > 0
    assert blend([3.0, 4.0], [], 0.5) == pytest.approx([0.6, 0.8])


@pytest.mark.parametrize(
    ("question", "context", "weight", "message"),
    [
        ([1.0, 0.0], [[0.0, 1.0]], 1.5, "context_weight must be from 0 to 1"),
        ([0.0, 0.0], [], 0.5, "no direction"),
    ],
)
def test_bad_blends_are_refused(
    question: list[float], context: list[list[float]], weight: float, message: str
) -> None:
    with pytest.raises(InvalidMemoryError, match=message):
        blend(question, context, weight)


async def test_hybrid_search_follows_the_context_in_words_too(memory: Memory) -> None:
    cat = await memory.add("Ada's grey cat is called Pixel", scope=ADA)
    bakery = await memory.add("The bakery's name is Crumbs", scope=ADA)
    for other in ("Bob likes trains", "The weather was sunny", "Carol plays chess"):
        await memory.add(other, scope=ADA)  # so that a word's rarity means something

    def top(hits: list[Hit]) -> str:
        return hits[0].memory.id

    alone = await memory.search("and what is its name?", scope=ADA, k=1)
    followed = await memory.search(
        "and what is its name?", scope=ADA, k=1, context=["Tell me about Ada's grey cat"]
    )
    assert (top(alone), top(followed)) == (bakery.id, cat.id)
    assert followed[0].scores.get("text", 0.0) > 0  # found by the context's words too
