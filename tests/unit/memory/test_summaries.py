"""summarize(): each day's episodes become facts, through a model over the real HTTP
path, linked to the episodes they came from; a known fact the day changed is replaced.

The model is a loopback server answering with recorded tool-call responses carrying the
proposals a test needs (see ``test_facts``); embeddings come from the word-hash double.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from fluent_ai.memory import (
    FactExtractionError,
    InvalidMemoryError,
    Memory,
    MemoryRecord,
    Scope,
    Summary,
)
from tests.support.replay import Replay, replay_server
from tests.support.word_hash import WordHashEmbedder
from tests.unit.memory.test_facts import answer

ADA = Scope(user="ada")
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def memory(url: str) -> AsyncIterator[Memory]:
    """A store on every engine (``url`` from the conftest: mem, surrealkv, ws)."""
    async with Memory.open(url, embedder=WordHashEmbedder()) as store:
        yield store


async def said(
    memory: Memory, text: str, days_ago: int, role: str = "user", minute: int = 0
) -> MemoryRecord:
    return await memory.add(
        text,
        kind="episodic",
        scope=ADA,
        metadata={"role": role},
        created_at=NOW - timedelta(days=days_ago, hours=1) + timedelta(minutes=minute),
    )


async def summarize(memory: Memory, server: Replay) -> list[Summary]:
    return await memory.summarize(
        "openai/gpt-5-mini", scope=ADA, api_key="sk-test", base_url=server.base_url + "/v1"
    )


async def test_each_day_becomes_facts_linked_to_its_episodes(memory: Memory) -> None:
    moved = await said(memory, "I moved to Lisbon with my cat", days_ago=3)
    reply = await said(memory, "Lisbon is lovely", days_ago=3, role="assistant", minute=1)
    porto = await said(memory, "I left Lisbon, I live in Porto now", days_ago=2)
    today = await said(memory, "Porto has great bridges", days_ago=0)
    proposals = [
        answer(("add_fact", {"fact": "Ada lives in Lisbon", "importance": 0.7})),
        answer(("update_fact", {"number": 1, "fact": "Ada lives in Porto"})),
    ]
    progress: list[tuple[int, int]] = []
    with replay_server(proposals) as server:
        summaries = await memory.summarize(
            "openai/gpt-5-mini",
            scope=ADA,
            api_key="sk-test",
            base_url=server.base_url + "/v1",
            on_summary=lambda summary, done, total: progress.append((done, total)),
        )

    assert server.errors == []
    assert progress == [(1, 2), (2, 2)]
    first, second = summaries
    assert (first.day, first.episodes) == (moved.created_at.date(), (moved.id, reply.id))
    assert second.episodes == (porto.id,)
    day = server.received[0].body["messages"][-1]["content"]
    assert "(user): I moved to Lisbon with my cat" in day
    assert "(assistant): Lisbon is lovely" in day
    assert "Porto" not in day  # one day per call
    [added] = first.changes
    assert added.memory is not None
    [update] = second.changes
    assert update.memory is not None
    assert (update.operation, update.replaced) == ("update", added.memory.id)
    links = await memory.edges(added.memory.id)
    assert {(e.relation, e.source, e.target) for e in links} == {
        ("derived_from", added.memory.id, moved.id),
        ("derived_from", added.memory.id, reply.id),
        ("contradicts", update.memory.id, added.memory.id),
    }
    old = await memory.get(added.memory.id)
    assert old.current is False  # the later day replaced it, and the past is kept
    hits = await memory.search("where does Ada live", scope=ADA, kinds=["semantic"])
    assert [hit.memory.content for hit in hits] == ["Ada lives in Porto"]
    assert "summarized_at" not in (await memory.get(today.id)).metadata
    assert "summarized_at" in (await memory.get(moved.id)).metadata


async def test_a_second_run_summarizes_nothing_twice(memory: Memory) -> None:
    await said(memory, "I adopted a cat called Pixel", days_ago=2)
    with replay_server([answer(("no_change", {}))]) as server:
        assert len(await summarize(memory, server)) == 1
        assert await summarize(memory, server) == []
    assert (len(server.received), server.errors) == (1, [])


async def test_a_failed_group_keeps_the_groups_done_before_it(memory: Memory) -> None:
    first = await said(memory, "I play the cello", days_ago=3)
    second = await said(memory, "I joined an orchestra", days_ago=2)
    proposals = [
        answer(("add_fact", {"fact": "Ada plays the cello", "importance": 0.6})),
        answer(("update_fact", {"number": 9, "fact": "nonsense"})),
    ]
    with replay_server(proposals) as server, pytest.raises(FactExtractionError, match="9"):
        await summarize(memory, server)

    assert "summarized_at" in (await memory.get(first.id)).metadata
    assert "summarized_at" not in (await memory.get(second.id)).metadata
    hits = await memory.search("cello orchestra", scope=ADA, kinds=["semantic"])
    assert [hit.memory.content for hit in hits] == ["Ada plays the cello"]


async def test_a_negative_age_is_refused(memory: Memory) -> None:
    with pytest.raises(InvalidMemoryError, match="older_than"):
        await memory.summarize("openai/gpt-5-mini", older_than=timedelta(days=-1))
