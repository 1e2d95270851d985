"""An agent with long-term memory, over replayed real recordings and a real store.

The model is a loopback replay of a recorded Anthropic call, so the request the agent
sends (its system prompt with the recalled memories) is checked on the server side;
the store is a real SurrealDB one (``mem://``). Embeddings come from ``WordHashEmbedder``
below, a test-only bag-of-words hash (not a model), so that which memory a message finds
is known exactly; one slow test runs the real local embedder end to end.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("surrealdb", reason="the memory extra is not installed")
pytest.importorskip("usearch", reason="the memory extra is not installed")

from fluent_ai.agent import AgentBuildError, Break, FluentAI, TurnNotStoredError
from fluent_ai.agent.builder import AgentBuilder
from fluent_ai.agent.memory import HEADER, fit_memories, render_memories
from fluent_ai.context import File
from fluent_ai.memory import Hit, Memory, MemoryRecord, Scope
from fluent_ai.templates.tokenizer import DEFAULT_TOKENIZER
from fluent_ai.types import TextDelta
from tests.support.cassettes import Interaction, cassettes, load
from tests.support.minilm import minilm_cache
from tests.support.replay import Replay, replay_server
from tests.support.word_hash import WordHashEmbedder
from tests.unit.test_light_imports import imported_after

ANSWER = "The capital of France is Paris."  # what the recording below answers


def recording(name: str) -> tuple[Interaction, ...]:
    (path,) = [p for p in cassettes("anthropic") if p.stem.endswith(name)]
    return load(path)


@pytest.fixture
def server() -> Iterator[Replay]:
    """The recorded answer to "capital of France", served for up to 6 requests."""
    with replay_server(recording("test_anthropic_model_instructions") * 6) as replay:
        yield replay


@pytest.fixture
async def store() -> AsyncIterator[Memory]:
    async with Memory.open("mem://", embedder=WordHashEmbedder()) as memory:
        yield memory


def agent(name: str, server: Replay) -> AgentBuilder:
    return FluentAI.agent(name).model(
        "anthropic/claude-sonnet-4-5", api_key="sk-ant-test", base_url=server.base_url
    )


def system_sent(server: Replay, index: int = -1) -> str:
    body = server.received[index].body
    return str(body.get("system") or "")


async def turn_records(memory: Memory, scope: Scope) -> list[MemoryRecord]:
    hits = await memory.search("capital France Paris", k=20, scope=scope, mode="vector")
    return sorted((h.memory for h in hits if h.memory.kind == "episodic"), key=lambda r: r.id)


async def test_memories_reach_the_system_prompt_and_the_turn_is_stored(
    server: Replay, store: Memory
) -> None:
    mine = Scope(agent="geo")
    when = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    cat = await store.add(
        "Ada's cat Pixel sleeps on the radiator", scope=mine, created_at=when, kind="semantic"
    )
    await store.add("Ada's cat Pixel hates the vacuum", scope=Scope(agent="other"))
    seen: list[list[Hit]] = []
    geo = (
        agent("geo", server)
        .system_prompt("You are terse.")
        .memory(store, k=3)
        .on_memory(seen.append)
        .build()
    )

    reply = await geo.chat("Where does Ada's cat Pixel sleep?")

    assert not server.errors
    assert reply.text == ANSWER
    system = system_sent(server)
    assert system.startswith("You are terse.\n\n" + HEADER)
    assert "- 2026-11-02: Ada's cat Pixel sleeps on the radiator" in system
    assert "vacuum" not in system  # another agent's memory
    assert [hit.memory.id for hit in reply.memories] == [cat.id]
    assert seen == [reply.memories]
    assert reply.memory_error is None
    # The turn: two episodic memories in the agent's scope, the answer follows the question.
    question, answer = sorted(
        [r for r in await turn_records(store, mine) if r.id != cat.id],
        key=lambda r: r.metadata["role"] != "user",
    )
    assert (question.content, answer.content) == ("Where does Ada's cat Pixel sleep?", ANSWER)
    assert {question.source, answer.source} == {"agent:geo"}
    assert question.scope == answer.scope == mine
    assert (question.metadata, answer.metadata) == ({"role": "user"}, {"role": "assistant"})
    assert question.created_at <= answer.created_at
    [edge] = await store.edges(answer.id)
    assert (edge.source, edge.target, edge.relation) == (answer.id, question.id, "follows")
    # The next turn recalls the stored question, with its role.
    await geo.chat("Remind me: where does Pixel sleep?")
    assert "(user): Where does Ada's cat Pixel sleep?" in system_sent(server)


async def test_agents_share_memories_by_scope_only(server: Replay, store: Memory) -> None:
    ada = Scope(user="ada")
    tutor = agent("tutor", server).memory(store, scope=ada).build()
    await tutor.chat("My cat is called Pixel")

    coach = await agent("coach", server).memory(store).build().chat("What is my cat called?")
    bob = (
        await agent("coach", server)
        .memory(store, scope=Scope(user="bob"))
        .build()
        .chat("What is my cat called?")
    )
    shared = (
        await agent("coach", server).memory(store, scope=ada).build().chat("What is my cat called?")
    )

    assert not server.errors
    assert coach.memories == bob.memories == []
    assert HEADER not in system_sent(server, 1)
    assert HEADER not in system_sent(server, 2)
    assert "My cat is called Pixel" in [hit.memory.content for hit in shared.memories]
    assert "(user): My cat is called Pixel" in system_sent(server, 3)
    # Each agent stored its turn in its own scope: the coach's default is its name.
    assert await store.count(scope=Scope(agent="coach")) == 2
    assert await store.count(scope=ada) == 4


async def test_a_failed_store_keeps_the_reply_and_says_why(
    server: Replay, caplog: pytest.LogCaptureFixture
) -> None:
    async with Memory.open("mem://", embedder=WordHashEmbedder(fail_documents=True)) as memory:
        geo = agent("geo", server).memory(memory).build()
        with caplog.at_level(logging.WARNING, logger="fluent_ai.agent"):
            reply = await geo.chat("Where is Paris?")
        assert await memory.count() == 0

    assert reply.text == ANSWER
    assert isinstance(reply.memory_error, TurnNotStoredError)
    assert "nothing was stored" in str(reply.memory_error)
    assert "embedding service down" in str(reply.memory_error)
    assert "store_turns=False" in str(reply.memory_error)
    assert any("turn was not stored" in r.getMessage() for r in caplog.records)


async def test_store_turns_false_only_recalls(server: Replay, store: Memory) -> None:
    await store.add("Paris is the capital of France", scope=Scope(agent="geo"))
    reply = await agent("geo", server).memory(store, store_turns=False).build().chat("Paris?")
    assert len(reply.memories) == 1
    assert await store.count() == 1


async def test_a_stream_is_stored_when_complete_and_not_when_left_early(store: Memory) -> None:
    items = recording("test_anthropic_model_thinking_part_stream")
    with replay_server(items * 2) as server:
        thinker = agent("thinker", server).memory(store).build()
        events = [e async for e in thinker.stream("How do I cross the street?")]
        assert await store.count() == 2
        async with aclosing(thinker.stream("And a motorway?")) as stream:
            async for _ in stream:
                break
    assert any(isinstance(e, TextDelta) for e in events)
    assert await store.count() == 2


def test_the_sync_twins_and_the_loop_recall_and_store() -> None:
    items = recording("test_anthropic_model_instructions")
    items += recording("test_anthropic_model_thinking_part_stream")  # the loop streams
    with (
        replay_server(items) as server,
        Memory.open("mem://", embedder=WordHashEmbedder()) as memory,
    ):
        memory.add_sync("France's capital city is Paris", scope=Scope(agent="geo"))
        geo = agent("geo", server).memory(memory).build()
        reply = geo.chat_sync("What is the capital of France?")
        replies: list[Any] = []

        def stop(reply: Any) -> Break:
            replies.append(reply)
            return Break()

        geo.loop(stop, first="And Spain?", write=lambda _: None)
        assert memory.count_sync(scope=Scope(agent="geo")) == 5
    assert not server.errors
    assert reply.memories[0].memory.content == "France's capital city is Paris"
    assert HEADER in system_sent(server, 0)
    assert HEADER in system_sent(server, 1)
    assert replies[0].memories
    assert replies[0].memory_error is None


def record(content: str, day: int) -> MemoryRecord:
    return MemoryRecord(
        id=str(day), content=content, created_at=datetime(2026, 12, day, tzinfo=UTC)
    )


def test_memories_that_do_not_fit_are_dropped_lowest_score_first() -> None:
    hits = [
        Hit(memory=record("second best " + "word " * 20, 2), score=0.5),
        Hit(memory=record("best", 1), score=0.9),
        Hit(memory=record("third", 3), score=0.1),
    ]
    everything = render_memories(fit_memories(hits, 10_000))
    assert everything.splitlines()[:2] == [HEADER, "- 2026-12-01: best"]
    room = DEFAULT_TOKENIZER.count(render_memories([hits[1]]))

    kept = fit_memories(hits, room + 5)  # the second best is too long: it and all below go

    assert [hit.score for hit in kept] == [0.9]
    assert fit_memories(hits, room - 1) == []
    assert DEFAULT_TOKENIZER.count(everything) > room + 5


def test_memories_get_what_the_context_files_leave_of_the_budget(
    server: Replay, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("The user prefers metric units.\n")
    memory = Memory.open("mem://", embedder=WordHashEmbedder())
    geo = agent("geo", server).context(File(notes), budget_tokens=500).memory(memory).build()
    settings = geo.config.memory
    assert settings is not None
    assert geo.config.context_text
    assert settings.budget_tokens == 500 - DEFAULT_TOKENIZER.count(geo.config.context_text)
    assert settings.scope == Scope(agent="geo")
    assert settings.k == 5


def test_build_reports_a_bad_memory_and_bad_numbers(server: Replay) -> None:
    builder = agent("geo", server).memory("surrealkv://here", k=0, min_score=3)  # type: ignore[arg-type]
    with pytest.raises(AgentBuildError) as info:
        builder.build()
    problems = info.value.problems
    assert problems[0].startswith(".memory(...): expected a fluent_ai.memory.Memory, got str")
    assert "Memory.open(" in problems[0]
    assert problems[1] == ".memory(..., k=0): must be a whole number, at least 1"
    assert problems[2].startswith(".memory(..., min_score=3): a cosine similarity")
    with pytest.raises(AgentBuildError, match=r"min_score='high'\): a cosine similarity"):
        agent("geo", server).memory(Memory.open("mem://"), min_score="high").build()  # type: ignore[arg-type]
    with pytest.raises(AgentBuildError, match=r"scope must be a fluent_ai\.memory\.Scope"):
        agent("geo", server).memory(Memory.open("mem://"), scope="ada").build()  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with minilm_cache(tmp_path_factory) as root:
        yield root


@pytest.mark.slow
async def test_the_local_embedder_recalls_by_meaning(server: Replay, minilm: Path) -> None:
    async with Memory.open("mem://") as memory:
        scope = Scope(user="ada")
        for fact in ("Ada adopted a grey cat called Pixel", "The quarterly report is due Friday"):
            await memory.add(fact, kind="semantic", scope=scope)
        geo = agent("geo", server).memory(memory, scope=scope, k=1).build()
        reply = await geo.chat("Which animal lives with Ada?")
        stored = await memory.count(scope=scope)
    assert [hit.memory.content for hit in reply.memories] == ["Ada adopted a grey cat called Pixel"]
    assert ": Ada adopted a grey cat called Pixel" in system_sent(server)
    assert stored == 4


def test_an_agent_loads_the_store_only_when_it_has_a_memory_and_uses_it() -> None:
    build = "FluentAI.agent('a').model('openai/gpt-4o', api_key='k')"
    plain = imported_after(f"from fluent_ai import FluentAI\n{build}.build()")
    given = imported_after(
        "from fluent_ai import FluentAI\nfrom fluent_ai.memory import Memory\n"
        f"{build}.memory(Memory.open('mem://')).build()"
    )
    assert not {m for m in plain if m.startswith(("fluent_ai.memory", "surrealdb", "usearch"))}
    assert not {m for m in given if m.startswith(("surrealdb", "usearch"))}
