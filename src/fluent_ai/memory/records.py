"""Rows as SurrealDB returns them, turned into :mod:`fluent_ai.memory.types` values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from fluent_ai.memory.types import Edge, MemoryKind, MemoryRecord, Relation, Scope

MEMORY_FIELDS = (
    "id, content, kind, user, agent, session, importance, tags, source, metadata, "
    "created_at, last_accessed, access_count, valid_until, invalidated_by, archived"
)
"""What a query selects to build a :class:`MemoryRecord` (never the embedding)."""

EDGE_FIELDS = (
    "id, in, out, meta::tb(id) AS relation, strength, valid_from, valid_to, recorded_at, expired_at"
)


def key(record_id: Any) -> str:
    """The key of a SurrealDB record id (``memory:42`` → ``"42"``)."""
    return str(getattr(record_id, "id", record_id))


def memory(row: Mapping[str, Any]) -> MemoryRecord:
    replaced = row.get("invalidated_by")
    return MemoryRecord(
        id=key(row["id"]),
        content=row["content"],
        kind=cast(MemoryKind, row["kind"]),
        scope=Scope(user=row.get("user"), agent=row.get("agent"), session=row.get("session")),
        importance=float(row["importance"]),
        tags=tuple(row.get("tags") or ()),
        source=row.get("source"),
        created_at=_time(row["created_at"]),
        last_accessed=_optional_time(row.get("last_accessed")),
        access_count=int(row.get("access_count") or 0),
        valid_until=_optional_time(row.get("valid_until")),
        invalidated_by=None if replaced is None else key(replaced),
        archived=bool(row.get("archived")),
        metadata=dict(row.get("metadata") or {}),
    )


def edge(row: Mapping[str, Any]) -> Edge:
    return Edge(
        id=key(row["id"]),
        source=key(row["in"]),
        target=key(row["out"]),
        relation=cast(Relation, row["relation"]),
        strength=float(row["strength"]),
        valid_from=_time(row["valid_from"]),
        valid_to=_optional_time(row.get("valid_to")),
        recorded_at=_time(row["recorded_at"]),
        expired_at=_optional_time(row.get("expired_at")),
    )


def _time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    # The client hands datetimes back as its own wrapper in some versions.
    found = getattr(value, "dt", None)
    if isinstance(found, datetime):
        return found
    return datetime.fromisoformat(str(value))


def _optional_time(value: Any) -> datetime | None:
    return None if value is None else _time(value)
