"""Edges between memories, and facts retired by later ones: the bi-temporal writes.

An edge records when it held in the world (``valid_from`` / ``valid_to``) and when the
store believed it (``recorded_at`` / ``expired_at``); a fact that stops being true is
given a ``valid_until`` and, when a newer memory replaced it, a ``contradicts`` edge
from that memory. Nothing here deletes: the past stays answerable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fluent_ai._sync import run_sync
from fluent_ai.memory import records, validate
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.errors import MemoryNotFoundError
from fluent_ai.memory.observe import observed
from fluent_ai.memory.records import EDGE_FIELDS, MEMORY_FIELDS
from fluent_ai.memory.session import OpenStore
from fluent_ai.memory.types import RELATIONS, Edge, MemoryRecord, Relation


async def require(store: OpenStore, url: str, *keys: int) -> None:
    """Raise :class:`MemoryNotFoundError` naming every key the store does not hold."""
    [rows] = await store.connection.query(
        "SELECT VALUE id FROM $ids", {"ids": [_thing(key) for key in keys]}
    )
    present = {int(records.key(found)) for found in rows if found is not None}
    missing = [str(key) for key in keys if key not in present]
    if missing:
        raise MemoryNotFoundError(f"no memory {', '.join(missing)} in {url}")


async def relate(
    store: OpenStore,
    url: str,
    source: str,
    target: str,
    relation: Relation,
    strength: float,
    valid_from: datetime,
) -> Edge:
    table = validate.relation(relation)
    weight = validate.unit(strength, "strength")
    a, b = validate.memory_id(source), validate.memory_id(target)
    await require(store, url, a, b)
    [rows] = await store.connection.query(
        f"RELATE (type::thing('memory', $a))->{table}->(type::thing('memory', $b)) "
        f"CONTENT $data RETURN {EDGE_FIELDS}",
        {
            "a": a,
            "b": b,
            "data": {"strength": weight, "valid_from": valid_from, "recorded_at": _now()},
        },
    )
    return records.edge(rows[0])


async def edges(store: OpenStore, memory_id: str, *, include_expired: bool) -> list[Edge]:
    key = validate.memory_id(memory_id)
    current = "" if include_expired else " AND expired_at IS NONE"
    [rows] = await store.connection.query(
        f"SELECT {EDGE_FIELDS} FROM {', '.join(RELATIONS)} "
        "WHERE (in = type::thing('memory', $key) OR out = type::thing('memory', $key))" + current,
        {"key": key},
    )
    return sorted((records.edge(row) for row in rows), key=lambda found: found.recorded_at)


async def expire(store: OpenStore, edge: Edge, at: datetime) -> Edge:
    [rows] = await store.connection.query(
        "UPDATE type::thing($table, $key) SET valid_to = $at, expired_at = $now "
        f"RETURN {EDGE_FIELDS}",
        {"table": validate.relation(edge.relation), "key": edge.id, "at": at, "now": _now()},
    )
    return records.edge(rows[0]) if rows else edge


async def invalidate(
    store: OpenStore, url: str, memory_id: str, by: str | None, at: datetime
) -> MemoryRecord:
    key = validate.memory_id(memory_id)
    replacement = validate.memory_id(by) if by is not None else None
    await require(store, url, key, *([replacement] if replacement is not None else []))
    statements = [
        "BEGIN TRANSACTION;",
        "UPDATE type::thing('memory', $key) SET valid_until = $at"
        + (", invalidated_by = type::thing('memory', $by)" if replacement else "")
        + f" RETURN {MEMORY_FIELDS};",
    ]
    if replacement is not None:
        statements.append(
            "RELATE (type::thing('memory', $by))->contradicts->(type::thing('memory', $key)) "
            "CONTENT { strength: 1.0, valid_from: $at, recorded_at: $now } RETURN NONE;"
        )
    statements.append("COMMIT TRANSACTION;")
    results = await store.connection.query(
        "".join(statements), {"key": key, "by": replacement, "at": at, "now": _now()}
    )
    return records.memory(results[0][0])


def _thing(key: int) -> object:
    from surrealdb import RecordID

    return RecordID("memory", key)


def _now() -> datetime:
    return datetime.now(UTC)


class GraphMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s edges and retired facts."""

    @observed("relate", lambda edge: [edge.id])
    async def relate(
        self,
        source: str,
        target: str,
        relation: Relation = "relates_to",
        *,
        strength: float = 1.0,
        valid_from: datetime | None = None,
    ) -> Edge:
        """Record that ``source`` bears on ``target`` (both memory ids), holding from
        ``valid_from`` (default now) with ``strength`` from 0 to 1."""
        store = await self._session.ready()
        return await relate(
            store, self.url, source, target, relation, strength, validate.moment(valid_from)
        )

    async def edges(self, memory_id: str, *, include_expired: bool = False) -> list[Edge]:
        """Every edge from or to a memory (only current ones unless ``include_expired``)."""
        store = await self._session.ready()
        return await edges(store, memory_id, include_expired=include_expired)

    @observed("expire", lambda edge: [edge.id])
    async def expire(self, edge: Edge, *, at: datetime | None = None) -> Edge:
        """Stop an edge holding from ``at`` (default now); it is kept, never deleted."""
        store = await self._session.ready()
        return await expire(store, edge, validate.moment(at))

    @observed("invalidate", lambda record: [record.id])
    async def invalidate(
        self, memory_id: str, *, by: str | None = None, at: datetime | None = None
    ) -> MemoryRecord:
        """Mark a fact as no longer true from ``at`` (default now), replaced by the
        memory ``by`` if given (which then ``contradicts`` it). Nothing is deleted:
        ``search(as_of=…)`` still finds it for the time it held."""
        store = await self._session.ready()
        return await invalidate(store, self.url, memory_id, by, validate.moment(at))

    def relate_sync(self, source: str, target: str, *args: Any, **options: Any) -> Edge:
        return run_sync(self.relate(source, target, *args, **options))

    def edges_sync(self, memory_id: str, **options: Any) -> list[Edge]:
        return run_sync(self.edges(memory_id, **options))

    def expire_sync(self, edge: Edge, **options: Any) -> Edge:
        return run_sync(self.expire(edge, **options))

    def invalidate_sync(self, memory_id: str, **options: Any) -> MemoryRecord:
        return run_sync(self.invalidate(memory_id, **options))
