"""Moving a store's contents out and in: JSON Lines export and import.

Export writes one object per memory (``"type": "memory"``, every field, and its vector
as a list of floats), then one per edge (``"type": "edge"``), expired ones included:
an edge's history is part of what the store knows. Import gives every memory a new id
and remaps the edges and ``invalidated_by`` to them: ids are random keys of one store,
and keeping them could collide with (and silently overwrite) memories already in the
store imported into. The vectors travel with the memories, so importing needs no
embedder, but the store must hold vectors of the same length.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from fluent_ai._sync import run_sync
from fluent_ai.memory import records, validate
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.errors import InvalidMemoryError
from fluent_ai.memory.listing import all_edges, collect, memories
from fluent_ai.memory.observe import observed
from fluent_ai.memory.session import OpenStore
from fluent_ai.memory.types import Edge, MemoryRecord, Scope
from fluent_ai.memory.vectors import stored


def memory_fields(record: MemoryRecord) -> dict[str, Any]:
    """Every field of a memory, JSON-ready (times in ISO 8601, scope parts that are set)."""
    return {
        "id": record.id,
        "content": record.content,
        "kind": record.kind,
        **record.scope.fields(),
        "importance": record.importance,
        "tags": list(record.tags),
        "source": record.source,
        "metadata": record.metadata,
        "created_at": record.created_at.isoformat(),
        "last_accessed": _iso(record.last_accessed),
        "access_count": record.access_count,
        "valid_until": _iso(record.valid_until),
        "invalidated_by": record.invalidated_by,
        "archived": record.archived,
    }


def memory_line(record: MemoryRecord, vector: Sequence[float]) -> dict[str, Any]:
    """One memory as an export line: its fields and its vector as a list of floats."""
    return {
        "type": "memory",
        **memory_fields(record),
        "vector": [float(value) for value in vector],
    }


def edge_line(edge: Edge) -> dict[str, Any]:
    """One edge as an export line, with both its times in the world and in the store."""
    return {
        "type": "edge",
        "id": edge.id,
        "source": edge.source,
        "target": edge.target,
        "relation": edge.relation,
        "strength": edge.strength,
        "valid_from": edge.valid_from.isoformat(),
        "valid_to": _iso(edge.valid_to),
        "recorded_at": edge.recorded_at.isoformat(),
        "expired_at": _iso(edge.expired_at),
    }


async def export_lines(
    store: OpenStore, scope: Scope | None = None
) -> AsyncIterator[dict[str, Any]]:
    """The store (or the part in ``scope``) as export lines: every memory, then every
    edge between them, expired ones too."""
    async for record, vector in memories(store, scope=scope, vectors=True):
        yield memory_line(record, vector or [])
    for edge in await all_edges(store, scope=scope, include_expired=True):
        yield edge_line(edge)


async def import_lines(
    store: OpenStore,
    embedded: bool,
    lines: Sequence[Mapping[str, Any]],
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """Write export lines into ``store`` under new ids; the old ids mapped to the new.

    Every memory line and the file's references are checked before anything is
    written (an edge or a replacement naming a memory the file does not hold is
    refused). Edges and ``invalidated_by`` are written after every
    memory, since they may point forward. ``on_progress(done, total)`` follows along.
    """
    held = {str(line.get("id")) for line in lines if line.get("type") == "memory"}
    for number, line in enumerate(lines, start=1):
        kind = line.get("type")
        if kind not in ("memory", "edge"):
            raise InvalidMemoryError(f"line {number}: type is {kind!r}, not 'memory' or 'edge'")
        names = ("source", "target") if kind == "edge" else ("invalidated_by",)
        for name in names:
            if (kind == "edge" or line.get(name) is not None) and str(line.get(name)) not in held:
                raise InvalidMemoryError(
                    f"line {number}: {name} names memory {line.get(name)}, which the file "
                    "does not hold: export the whole store, or remove that line"
                )
        if kind == "edge":
            validate.relation(str(line.get("relation")))
    prepared = [
        (str(line.get("id")), *_memory_data(line, number, store.dimensions, embedded))
        for number, line in enumerate(lines, start=1)
        if line["type"] == "memory"
    ]
    renamed: dict[str, str] = {}
    done, total = 0, len(lines)
    for old, data, vector in prepared:
        renamed[old] = await _write_memory(store, data, vector)
        done += 1
        if on_progress is not None:
            on_progress(done, total)
    for line in lines:
        if line["type"] == "memory" and line.get("invalidated_by") is not None:
            await store.connection.query(
                "UPDATE type::thing('memory', $key) SET invalidated_by = "
                "type::thing('memory', $by)",
                {
                    "key": int(renamed[str(line["id"])]),
                    "by": int(renamed[str(line["invalidated_by"])]),
                },
            )
    for number, line in enumerate(lines, start=1):
        if line["type"] == "edge":
            await _write_edge(store, renamed, line, number)
            done += 1
            if on_progress is not None:
                on_progress(done, total)
    return renamed


def _memory_data(
    line: Mapping[str, Any], number: int, dimensions: int, embedded: bool
) -> tuple[dict[str, Any], list[float]]:
    """The record to create for one memory line, and its checked vector."""
    try:
        checked = validate.vector(line["vector"], dimensions)
        data: dict[str, Any] = {
            "content": validate.content(line["content"]),
            "kind": validate.kind(str(line.get("kind", "episodic"))),
            **Scope(line.get("user"), line.get("agent"), line.get("session")).fields(),
            "importance": validate.unit(line.get("importance", 0.5), "importance"),
            "tags": validate.tags(line.get("tags") or ()),
            "metadata": dict(line.get("metadata") or {}),
            "created_at": validate.moment(_time(line["created_at"])),
            "access_count": int(line.get("access_count") or 0),
            "embedding": stored(checked, embedded),
        }
        for name in ("last_accessed", "valid_until"):
            if line.get(name) is not None:
                data[name] = validate.moment(_time(line[name]))
        if line.get("archived"):
            data["archived"] = True
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidMemoryError(f"line {number} is not a memory export line: {exc!r}") from exc
    except InvalidMemoryError as exc:
        raise InvalidMemoryError(f"line {number}: {exc.message}") from exc
    if line.get("source") is not None:
        data["source"] = str(line["source"])
    return data, checked


async def _write_memory(store: OpenStore, data: dict[str, Any], vector: list[float]) -> str:
    return records.key((await store.insert(data, vector))["id"])


async def _write_edge(
    store: OpenStore, renamed: Mapping[str, str], line: Mapping[str, Any], number: int
) -> None:
    try:
        data: dict[str, Any] = {
            "strength": validate.unit(line.get("strength", 1.0), "strength"),
            "valid_from": validate.moment(_time(line["valid_from"])),
            "recorded_at": validate.moment(_time(line["recorded_at"])),
        }
        for name in ("valid_to", "expired_at"):
            if line.get(name) is not None:
                data[name] = validate.moment(_time(line[name]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidMemoryError(f"line {number} is not an edge export line: {exc!r}") from exc
    await store.connection.query(
        f"RELATE (type::thing('memory', $a))->{validate.relation(str(line['relation']))}->"
        "(type::thing('memory', $b)) CONTENT $data RETURN NONE",
        {
            "a": int(renamed[str(line["source"])]),
            "b": int(renamed[str(line["target"])]),
            "data": data,
        },
    )


def _time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def read_jsonl(text: str) -> list[dict[str, Any]]:
    """Export lines from JSON Lines text (blank lines skipped), each checked to be an object."""
    found: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise InvalidMemoryError(f"line {number} is not JSON: {exc}") from exc
        if not isinstance(value, dict):
            raise InvalidMemoryError(f"line {number} is not a JSON object")
        found.append(value)
    return found


class TransferMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s export and import."""

    async def export(self, *, scope: Scope | None = None) -> AsyncIterator[dict[str, Any]]:
        """The store as JSON-ready lines: each memory with its vector, then each edge."""
        async for line in export_lines(await self._session.ready(), scope):
            yield line

    @observed("import", lambda renamed: renamed.values())
    async def import_lines(
        self,
        lines: Sequence[Mapping[str, Any]],
        *,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, str]:
        """Add exported lines under new ids (edges remapped); the old ids to the new."""
        store = await self._session.ready()
        embedded = self._session.location.embedded
        return await import_lines(store, embedded, lines, on_progress)

    def export_sync(self, **options: Any) -> list[dict[str, Any]]:
        return run_sync(collect(self.export(**options)))

    def import_lines_sync(
        self, lines: Sequence[Mapping[str, Any]], **options: Any
    ) -> dict[str, str]:
        return run_sync(self.import_lines(lines, **options))
