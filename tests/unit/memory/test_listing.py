"""Reading a whole store (every memory, every edge, counts) and moving it by export / import."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fluent_ai.memory import InvalidMemoryError, Memory, Scope
from fluent_ai.memory.transfer import read_jsonl
from tests.unit.memory.conftest import DIMENSIONS, axis


async def test_memories_walks_every_batch_in_key_order_with_filters(memory: Memory) -> None:
    added = [
        await memory.add(
            f"note {n}",
            kind="semantic" if n % 2 else "episodic",
            scope=Scope(user="ada" if n < 5 else "bob"),
            vector=axis(n % DIMENSIONS),
        )
        for n in range(7)
    ]
    await memory.invalidate(added[0].id)

    every = [record async for record in memory.memories(batch=2)]
    ada_facts = [
        record.id
        async for record in memory.memories(scope=Scope(user="ada"), kinds=["semantic"], batch=2)
    ]
    current = [record.id async for record in memory.memories(include_invalidated=False)]

    assert [record.id for record in every] == sorted((r.id for r in added), key=int)
    assert sorted(ada_facts, key=int) == sorted((added[1].id, added[3].id), key=int)
    assert added[0].id not in current
    assert len(current) == 6


async def test_all_edges_and_stats(memory: Memory) -> None:
    a = await memory.add("a", kind="semantic", scope=Scope(user="ada"), vector=axis(0))
    b = await memory.add("b", scope=Scope(user="ada", agent="tutor"), vector=axis(1))
    c = await memory.add("c", vector=axis(2))
    kept = await memory.relate(a.id, b.id, "follows", strength=0.5)
    gone = await memory.relate(b.id, c.id)
    await memory.expire(gone)
    await memory.invalidate(c.id, by=a.id)

    current = await memory.all_edges()
    everything = await memory.all_edges(include_expired=True)
    stats = await memory.stats()

    assert {edge.id for edge in current} == {kept.id} | {
        edge.id for edge in current if edge.relation == "contradicts"
    }
    assert len(current) == 2
    assert len(everything) == 3
    assert stats.memories == 3
    assert stats.invalidated == 1
    assert stats.by_kind == {"semantic": 1, "episodic": 2}
    assert sorted(stats.by_scope, key=str) == sorted(
        [(Scope(user="ada"), 1), (Scope(user="ada", agent="tutor"), 1), (Scope(), 1)], key=str
    )
    assert stats.edges == {"follows": 1, "contradicts": 1}
    assert stats.expired_edges == {"relates_to": 1}
    assert stats.dimensions == DIMENSIONS
    assert (stats.size_bytes is not None) == memory.url.startswith("surrealkv")


async def test_export_then_import_keeps_everything_under_new_ids(
    memory: Memory, tmp_path: Path
) -> None:
    when = datetime(2023, 5, 8, tzinfo=UTC)
    a = await memory.add(
        "Ada adopted a cat",
        kind="semantic",
        scope=Scope(user="ada"),
        importance=0.9,
        tags=["pets"],
        source="chat",
        metadata={"turn": 3},
        created_at=when,
        vector=axis(0, 0.25),
    )
    b = await memory.add("Ada's cat is called Pixel", vector=axis(1))
    edge = await memory.relate(b.id, a.id, "part_of", strength=0.7)
    await memory.expire(edge)
    await memory.invalidate(a.id, by=b.id)
    lines = [line async for line in memory.export()]

    assert [line["type"] for line in lines] == ["memory", "memory", "edge", "edge"]
    first = next(line for line in lines if line.get("id") == a.id)
    assert first["vector"] == pytest.approx(axis(0, 0.25))
    assert first["created_at"] == when.isoformat()
    assert first["invalidated_by"] == b.id

    async with Memory.open(
        f"surrealkv://{tmp_path / 'copy'}", embedder=None, dimensions=DIMENSIONS
    ) as copy:
        seen: list[tuple[int, int]] = []
        renamed = await copy.import_lines(lines, on_progress=lambda *p: seen.append(p))
        assert seen[-1] == (4, 4)
        moved = await copy.get(renamed[a.id])
        assert renamed[a.id] != a.id or renamed[b.id] != b.id
        assert (moved.content, moved.kind, moved.scope, moved.tags) == (
            a.content,
            "semantic",
            Scope(user="ada"),
            ("pets",),
        )
        assert (moved.metadata, moved.created_at, moved.source) == ({"turn": 3}, when, "chat")
        assert moved.invalidated_by == renamed[b.id]
        assert not moved.current
        edges = await copy.all_edges(include_expired=True)
        assert {(e.relation, e.source, e.target, e.expired_at is not None) for e in edges} == {
            ("part_of", renamed[b.id], renamed[a.id], True),
            ("contradicts", renamed[b.id], renamed[a.id], False),
        }
        hits = await copy.search(vector=axis(0, 0.25), mode="vector", include_invalidated=True)
        assert hits[0].memory.id == renamed[a.id]


async def test_import_checks_the_whole_file_before_writing(memory: Memory) -> None:
    good = {"type": "memory", "id": "1", "content": "x", "created_at": "2024-01-01T00:00:00+00:00"}
    cases: list[tuple[list[dict[str, Any]], str]] = [
        ([{**good, "vector": axis(0)}, {"type": "note"}], "line 2: type is 'note'"),
        (
            [{**good, "vector": axis(0)}, {"type": "edge", "source": "1", "target": "9"}],
            "target names memory 9, which the file does not hold",
        ),
        ([{**good, "vector": axis(0)}, {**good, "id": "2", "vector": [1.0]}], "line 2: the vector"),
        ([{**good, "vector": axis(0), "kind": "dream"}], "unknown memory kind"),
    ]
    for lines, message in cases:
        with pytest.raises(InvalidMemoryError, match=message):
            await memory.import_lines(lines)
    assert await memory.count() == 0


def test_read_jsonl_names_the_bad_line() -> None:
    assert read_jsonl('{"type": "memory"}\n\n{"type": "edge"}\n') == [
        {"type": "memory"},
        {"type": "edge"},
    ]
    with pytest.raises(InvalidMemoryError, match="line 2 is not JSON"):
        read_jsonl('{}\n{"a":\n')
    with pytest.raises(InvalidMemoryError, match="line 1 is not a JSON object"):
        read_jsonl("[1]\n")


async def test_a_scope_limits_stats_edges_and_export_to_its_memories(memory: Memory) -> None:
    a = await memory.add("a", scope=Scope(user="ada"), vector=axis(0))
    b = await memory.add("b", scope=Scope(user="ada"), vector=axis(1))
    c = await memory.add("c", scope=Scope(user="bob"), vector=axis(2))
    inside = await memory.relate(a.id, b.id)
    await memory.relate(b.id, c.id)
    ada = Scope(user="ada")

    stats = await memory.stats(scope=ada)
    lines = [line async for line in memory.export(scope=ada)]

    assert stats.memories == 2
    assert stats.edges == {"relates_to": 1}
    assert [edge.id for edge in await memory.all_edges(scope=ada)] == [inside.id]
    assert [line["id"] for line in lines] == [*sorted([a.id, b.id], key=int), inside.id]
