"""Reading a whole store: every memory, every edge, and counts of what it holds.

Search answers questions; these answer "what is in there", for the command line, for
backups and for moving memories between stores. Memories are read in batches along a
record range (``memory:{after + 1}..``, key order), so a store of any size is read in
flat memory without a table scan per batch, as the vector index's rebuild does.
Export and import, built on these, are in :mod:`fluent_ai.memory.transfer`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fluent_ai._sync import run_sync
from fluent_ai.memory import records, validate
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.records import EDGE_FIELDS, MEMORY_FIELDS
from fluent_ai.memory.session import OpenStore
from fluent_ai.memory.types import RELATIONS, Edge, MemoryKind, MemoryRecord, Scope
from fluent_ai.memory.vectors import as_array

BATCH = 500

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stats:
    """What a store holds: memories by kind and by scope, edges by relation (current
    and expired), and where it lives with its size on disk (``None`` for a server or
    ``mem://``)."""

    url: str
    memories: int
    invalidated: int
    by_kind: dict[str, int] = field(default_factory=dict)
    by_scope: list[tuple[Scope, int]] = field(default_factory=list)
    edges: dict[str, int] = field(default_factory=dict)
    expired_edges: dict[str, int] = field(default_factory=dict)
    dimensions: int = 0
    size_bytes: int | None = None


async def memories(
    store: OpenStore,
    *,
    scope: Scope | None = None,
    kinds: Sequence[MemoryKind] = (),
    include_invalidated: bool = True,
    batch: int = BATCH,
    vectors: bool = False,
) -> AsyncIterator[tuple[MemoryRecord, list[float] | None]]:
    """Every memory in ``scope`` of ``kinds`` in key order, with its vector when
    ``vectors`` is set (else ``None``)."""
    condition, params = _where(scope or Scope(), tuple(validate.kind(k) for k in kinds))
    if not include_invalidated:
        condition += " AND valid_until IS NONE"
    fields = MEMORY_FIELDS + (", embedding" if vectors else "")
    after = 0
    while True:
        [rows] = await store.connection.query(
            f"SELECT {fields} FROM memory:{after + 1}.. WHERE {condition} LIMIT $limit",
            {**params, "limit": batch},
        )
        if not rows:
            return
        for row in rows:
            found = as_array(row["embedding"]).tolist() if vectors else None
            yield records.memory(row), found
        after = int(records.key(rows[-1]["id"]))
        if len(rows) < batch:
            return


async def all_edges(
    store: OpenStore, *, scope: Scope | None = None, include_expired: bool = False
) -> list[Edge]:
    """Every edge between memories in ``scope`` (only current ones unless
    ``include_expired``), oldest recorded first."""
    condition, params = _edge_where(scope or Scope())
    if not include_expired:
        condition += " AND expired_at IS NONE"
    [rows] = await store.connection.query(
        f"SELECT {EDGE_FIELDS} FROM {', '.join(RELATIONS)} WHERE {condition}", params
    )
    return sorted((records.edge(row) for row in rows), key=lambda edge: edge.recorded_at)


async def stats(store: OpenStore, url: str, path: Path | None, scope: Scope | None = None) -> Stats:
    """Counts by kind, scope and relation (of memories in ``scope`` and the edges
    between them), in one round trip."""
    where, params = _where(scope or Scope(), ())
    edge_where, edge_params = _edge_where(scope or Scope())
    statements = [
        f"SELECT kind, count() AS n FROM memory WHERE {where} GROUP BY kind;",
        f"SELECT user, agent, session, count() AS n FROM memory WHERE {where} "
        "GROUP BY user, agent, session;",
        f"SELECT count() AS n FROM memory WHERE {where} AND valid_until IS NOT NONE GROUP ALL;",
        *(
            f"SELECT expired_at IS NOT NONE AS expired, count() AS n FROM {table} "
            f"WHERE {edge_where} GROUP BY expired;"
            for table in RELATIONS
        ),
    ]
    kinds, scopes, invalid, *relations = await store.connection.query(
        "".join(statements), {**params, **edge_params}
    )
    by_kind = {str(row["kind"]): int(row["n"]) for row in kinds}
    edges: dict[str, int] = {}
    expired: dict[str, int] = {}
    for table, rows in zip(RELATIONS, relations, strict=True):
        for row in rows:
            (expired if row["expired"] else edges)[table] = int(row["n"])
    return Stats(
        url=url,
        memories=sum(by_kind.values()),
        invalidated=int(invalid[0]["n"]) if invalid else 0,
        by_kind=by_kind,
        by_scope=[
            (Scope(row.get("user"), row.get("agent"), row.get("session")), int(row["n"]))
            for row in scopes
        ],
        edges=edges,
        expired_edges=expired,
        dimensions=store.dimensions,
        size_bytes=None if path is None else size_on_disk(path),
    )


def size_on_disk(path: Path) -> int:
    """Bytes under the store's directory plus its index files beside it (``PATH.*``)."""
    total = 0
    for found in [path, *path.parent.glob(path.name + ".*")]:
        if found.is_file():
            total += found.stat().st_size
        elif found.is_dir():
            total += sum(item.stat().st_size for item in found.rglob("*") if item.is_file())
    return total


def _where(
    scope: Scope, kinds: tuple[MemoryKind, ...], prefix: str = ""
) -> tuple[str, dict[str, Any]]:
    """The scope and kind condition. Not search's filters: a listing shows every
    memory, archived and replaced ones too, unless asked otherwise."""
    clauses = [f"{prefix}{name} = $scope_{name}" for name in scope.fields()]
    params: dict[str, Any] = {f"scope_{name}": value for name, value in scope.fields().items()}
    if kinds:
        clauses.append("kind IN $kinds")
        params["kinds"] = list(kinds)
    return " AND ".join(clauses) or "true", params


def _edge_where(scope: Scope) -> tuple[str, dict[str, Any]]:
    """Edges with both ends in ``scope``."""
    start, params = _where(scope, (), "in.")
    end, _ = _where(scope, (), "out.")
    return f"{start} AND {end}", params


class ListingMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s whole-store reads, export and import."""

    async def memories(
        self,
        *,
        scope: Scope | None = None,
        kinds: Sequence[MemoryKind] = (),
        include_invalidated: bool = True,
        batch: int = BATCH,
    ) -> AsyncIterator[MemoryRecord]:
        """Every memory (in ``scope``, of ``kinds``), in key order, read in batches."""
        store = await self._session.ready()
        async for record, _ in memories(
            store, scope=scope, kinds=kinds, include_invalidated=include_invalidated, batch=batch
        ):
            yield record

    async def all_edges(
        self, *, scope: Scope | None = None, include_expired: bool = False
    ) -> list[Edge]:
        """Every edge between memories in ``scope`` (current ones unless ``include_expired``)."""
        store = await self._session.ready()
        return await all_edges(store, scope=scope, include_expired=include_expired)

    async def stats(self, *, scope: Scope | None = None) -> Stats:
        """Memories by kind and scope, edges by relation, and the store's size on disk."""
        store = await self._session.ready()
        return await stats(store, self.url, self._session.location.path, scope)

    def memories_sync(self, **options: Any) -> list[MemoryRecord]:
        return run_sync(collect(self.memories(**options)))

    def all_edges_sync(self, **options: Any) -> list[Edge]:
        return run_sync(self.all_edges(**options))

    def stats_sync(self, **options: Any) -> Stats:
        return run_sync(self.stats(**options))


async def collect(items: AsyncIterator[T]) -> list[T]:
    return [item async for item in items]
