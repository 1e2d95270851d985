"""learn(): a model's proposals, as tool calls over the real HTTP path, checked, applied.

The model is a loopback server answering in OpenAI's wire format. Each answer is a
real recorded tool-call response (``tool_choice: required``) with its tool calls
replaced by the proposals a test needs; the request fluent-ai sends is checked on the
server side. Embeddings come from the word-hash test double, so which stored fact a
text finds is known exactly.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import AsyncIterator

import pytest

from fluent_ai.memory import FactChange, FactExtractionError, Memory, Scope
from tests.support.cassettes import Interaction, cassettes, load
from tests.support.replay import Replay, replay_server
from tests.support.word_hash import WordHashEmbedder

ADA = Scope(user="ada")


def answer(*calls: tuple[str, dict[str, object]]) -> Interaction:
    """The recorded tool-call answer, proposing ``calls`` instead."""
    (path,) = [p for p in cassettes("openai") if "tool_choice_matrix_required" in p.stem]
    recorded = load(path)[0]
    body = copy.deepcopy(recorded.response_body)
    body["choices"][0]["message"]["tool_calls"] = [
        {
            "id": f"call_{number}",
            "type": "function",
            "function": {"name": name, "arguments": json.dumps(arguments)},
        }
        for number, (name, arguments) in enumerate(calls)
    ]
    return dataclasses.replace(recorded, response_body=body)


@pytest.fixture
async def memory() -> AsyncIterator[Memory]:
    async with Memory.open("mem://", embedder=WordHashEmbedder()) as store:
        yield store


async def learn(memory: Memory, server: Replay, text: str) -> list[FactChange]:
    return list(
        await memory.learn(
            text,
            "openai/gpt-5-mini",
            scope=ADA,
            api_key="sk-test",
            base_url=server.base_url + "/v1",
        )
    )


async def test_a_new_fact_is_added_and_the_model_saw_the_question(memory: Memory) -> None:
    with replay_server(
        [answer(("add_fact", {"fact": "Ada has a cat called Pixel", "importance": 0.7}))]
    ) as server:
        [change] = await learn(memory, server, "I adopted a cat, Pixel!")

    assert change.operation == "add"
    stored = change.memory
    assert stored is not None
    assert (stored.content, stored.kind, stored.scope, stored.importance) == (
        "Ada has a cat called Pixel",
        "semantic",
        ADA,
        0.7,
    )
    sent = server.received[0].body
    assert sent["tool_choice"] == "required"
    assert {tool["function"]["name"] for tool in sent["tools"]} == {
        "add_fact",
        "update_fact",
        "delete_fact",
        "no_change",
    }
    assert "Known facts:\n(none)" in sent["messages"][-1]["content"]
    assert "I adopted a cat, Pixel!" in sent["messages"][-1]["content"]


async def test_an_update_replaces_the_fact_it_names_and_keeps_the_old_one(memory: Memory) -> None:
    paris = await memory.add("Ada lives in Paris", kind="semantic", scope=ADA, importance=0.9)
    with replay_server(
        [answer(("update_fact", {"number": 1, "fact": "Ada lives in Lyon"}))]
    ) as server:
        [change] = await learn(memory, server, "Ada moved to Lyon last month")

    lyon = change.memory
    assert lyon is not None
    assert (change.operation, change.replaced) == ("update", paris.id)
    assert "1. Ada lives in Paris" in server.received[0].body["messages"][-1]["content"]
    old = await memory.get(paris.id)
    assert (old.current, old.invalidated_by) == (False, lyon.id)
    assert lyon.importance == 0.9  # an update keeps the fact's weight
    hits = await memory.search("where does Ada live", scope=ADA, track_access=False)
    assert [hit.memory.content for hit in hits] == ["Ada lives in Lyon"]


async def test_delete_retires_and_no_change_writes_nothing(memory: Memory) -> None:
    job = await memory.add("Ada works at the bakery", kind="semantic", scope=ADA)
    replies = [
        answer(("delete_fact", {"number": 1, "reason": "she quit"})),
        answer(("no_change", {})),
    ]
    with replay_server(replies) as server:
        [retired] = await learn(memory, server, "Ada quit the bakery job")
        [nothing] = await learn(memory, server, "Ada quit the bakery job")

    assert (retired.operation, retired.replaced) == ("delete", job.id)
    assert not (await memory.get(job.id)).current
    assert nothing.operation == "none"
    assert await memory.count() == 1


@pytest.mark.parametrize(
    ("calls", "message"),
    [
        ([("update_fact", {"number": 3, "fact": "x"})], "fact number 3 was not among the 1 shown"),
        ([("add_fact", {"fact": "  ", "importance": 0.5})], "add_fact: the fact is empty"),
        ([("forget_everything", {})], "unknown tool 'forget_everything'"),
        (
            [("add_fact", {"fact": "fine", "importance": 0.5}), ("delete_fact", {"number": 0})],
            "fact number 0 was not among",
        ),
    ],
)
async def test_one_bad_proposal_refuses_the_whole_answer(
    memory: Memory, calls: list[tuple[str, dict[str, object]]], message: str
) -> None:
    await memory.add("Ada likes tea", kind="semantic", scope=ADA)
    with (
        replay_server([answer(*calls)]) as server,
        pytest.raises(FactExtractionError, match=message),
    ):
        await learn(memory, server, "Ada likes tea with milk")

    assert await memory.count() == 1
