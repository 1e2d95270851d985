"""``.memory(..., learn=...)``: after each turn the model draws facts from the user's
message, over the real HTTP path, and a failure never costs the reply.

One loopback server plays both parts in order: the recorded chat answer, then a recorded
tool-call answer carrying the proposals a test needs (see ``tests.unit.memory.test_facts``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

pytest.importorskip("surrealdb", reason="the memory extra is not installed")

from fluent_ai.agent import AgentBuildError, FactsNotLearnedError, FluentAI
from fluent_ai.agent.builder import AgentBuilder
from fluent_ai.memory import Memory, Scope
from tests.support.cassettes import Interaction, cassettes, load
from tests.support.replay import Replay, replay_server
from tests.support.word_hash import WordHashEmbedder
from tests.unit.memory.test_facts import answer

MINE = Scope(agent="keeper")


def chat_answer() -> Interaction:
    """The recorded answer "The capital of France is Paris." (OpenAI's wire format)."""
    (path,) = [p for p in cassettes("openai") if p.stem.endswith("test_openai_instructions")]
    return load(path)[0]


@pytest.fixture
async def store() -> AsyncIterator[Memory]:
    async with Memory.open("mem://", embedder=WordHashEmbedder()) as memory:
        yield memory


def keeper(server: Replay, store: Memory, learn: bool | str = True) -> AgentBuilder:
    return (
        FluentAI.agent("keeper")
        .model("openai/gpt-4o", api_key="sk-test", base_url=server.base_url + "/v1")
        .memory(store, learn=learn)
    )


async def facts(store: Memory) -> list[str]:
    hits = await store.search("Ada Lisbon", scope=MINE, kinds=["semantic"], track_access=False)
    return [hit.memory.content for hit in hits]


async def test_the_agent_learns_a_fact_from_the_users_message(store: Memory) -> None:
    learned = answer(("add_fact", {"fact": "Ada lives in Lisbon", "importance": 0.8}))
    with replay_server([chat_answer(), learned]) as server:
        reply = await keeper(server, store).build().chat("I moved to Lisbon last spring")

    assert reply.text == "The capital of France is Paris."
    assert reply.memory_error is None
    [change] = reply.facts
    assert change.operation == "add"
    assert change.memory is not None
    assert (change.memory.scope, change.memory.source) == (MINE, "agent:keeper")
    assert await facts(store) == ["Ada lives in Lisbon"]
    asked = server.received[1].body
    assert asked["tool_choice"] == "required"
    said = asked["messages"][-1]["content"]
    assert "I moved to Lisbon last spring" in said
    assert "Paris" not in said  # only the user's words are read, never the answer
    assert server.received[1].headers["authorization"] == "Bearer sk-test"


async def test_a_failed_extraction_keeps_the_reply_and_the_turn(store: Memory) -> None:
    bad = answer(("forget_everything", {}))
    with replay_server([chat_answer(), bad]) as server:
        reply = await keeper(server, store).build().chat("I moved to Lisbon last spring")

    assert reply.text == "The capital of France is Paris."
    assert reply.facts == []
    error = reply.memory_error
    assert isinstance(error, FactsNotLearnedError)
    assert "unknown tool 'forget_everything'" in str(error)
    assert "learn=False" in str(error)
    assert await facts(store) == []
    turns = await store.search("Lisbon", scope=MINE, kinds=["episodic"], track_access=False)
    assert "I moved to Lisbon last spring" in [hit.memory.content for hit in turns]


async def test_without_learn_no_model_call_is_made_after_the_turn(store: Memory) -> None:
    with replay_server([chat_answer()]) as server:
        reply = await keeper(server, store, learn=False).build().chat("I moved to Lisbon")

    assert (reply.facts, reply.memory_error) == ([], None)
    assert len(server.received) == 1
    assert server.errors == []


@pytest.mark.parametrize(
    ("learn", "problem"),
    [
        (3, "True (the agent's own model), False"),
        ("openai/", "should be written provider/model"),
    ],
)
async def test_a_bad_learning_model_is_a_build_problem(
    store: Memory, learn: object, problem: str
) -> None:
    with replay_server([]) as server, pytest.raises(AgentBuildError) as raised:
        keeper(server, store, learn=learn).build()  # type: ignore[arg-type]
    assert problem in str(raised.value)


async def test_a_follow_up_recalls_what_the_conversation_is_about(store: Memory) -> None:
    cat = await store.add("Ada's grey cat is called Pixel", scope=MINE)
    await store.add("The bakery's name is Crumbs", scope=MINE)
    for other in ("Bob likes trains", "The weather was sunny", "Carol plays chess"):
        await store.add(other, scope=MINE)
    with replay_server([chat_answer(), chat_answer()]) as server:
        agent = (
            FluentAI.agent("keeper")
            .model("openai/gpt-4o", api_key="sk-test", base_url=server.base_url + "/v1")
            .memory(store, k=1, store_turns=False)
            .build()
        )
        await agent.chat("Tell me about Ada's grey cat")
        follow_up = await agent.chat("and what is its name?")

    assert [hit.memory.id for hit in follow_up.memories] == [cat.id]
    alone = await store.search("and what is its name?", scope=MINE, k=1, track_access=False)
    assert alone[0].memory.id != cat.id  # without the conversation it finds the bakery
