"""Memory with the real local embedder (all-MiniLM-L6-v2): found by meaning, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("surrealdb", reason="the memory extra is not installed")

from fluent_ai.memory import Memory, Scope
from tests.support.minilm import minilm_cache

pytestmark = pytest.mark.slow

FACTS = [
    "Ada adopted a grey cat called Pixel last spring",
    "Ada's sister works as a nurse in Lyon",
    "The quarterly report is due on Friday",
    "Ada is allergic to peanuts",
    "Bob plays the cello in a string quartet",
]


@pytest.fixture(scope="module", autouse=True)
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with minilm_cache(tmp_path_factory) as root:
        yield root


async def test_questions_find_the_facts_they_are_about(tmp_path: Path) -> None:
    async with Memory.open(f"surrealkv://{tmp_path / 'store'}") as memory:
        for fact in FACTS:
            await memory.add(fact, kind="semantic", scope=Scope(user="ada"))

        pet = await memory.search("What animal does she have at home?", mode="vector", k=1)
        food = await memory.search("Which foods must be avoided?", k=2)

    assert pet[0].memory.content == FACTS[0]
    assert food[0].memory.content == FACTS[3]
    assert food[0].scores["vector"] > 0.2
