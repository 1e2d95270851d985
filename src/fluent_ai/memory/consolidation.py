"""Consolidation: near-duplicate memories merged into one, the rest kept but archived.

Agents store the same fact many times ("Ada has a cat", "Ada's cat is called Pixel" on
three different days). Each duplicate crowds better memories out of the ``k`` hits.
:meth:`ConsolidationMethods.consolidate` finds pairs in the same scope and of the same
kind whose vectors are at least ``threshold`` alike, keeps one (the more important,
then the more retrieved, then the older) and folds the other into it: the survivor
takes the higher importance, the sum of retrievals and both sets of tags, and a
``derived_from`` edge to the duplicate, which is archived, never deleted. Each merge is
one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from fluent_ai._sync import run_sync
from fluent_ai.memory import validate
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.listing import memories
from fluent_ai.memory.observe import observed
from fluent_ai.memory.search import Filters, passing
from fluent_ai.memory.session import OpenStore
from fluent_ai.memory.types import MemoryRecord, Scope

_NEIGHBOURS = 8
"""How many nearest memories are compared with each one."""


@dataclass(frozen=True, slots=True)
class Merge:
    """``merged`` was folded into ``survivor``; their vectors were ``similarity`` alike."""

    survivor: str
    merged: str
    similarity: float


async def consolidate(store: OpenStore, *, threshold: float, scope: Scope) -> list[Merge]:
    merges: list[Merge] = []
    gone: set[str] = set()
    async for record, vector in memories(
        store, scope=scope, include_invalidated=False, vectors=True
    ):
        if record.id in gone or record.archived or vector is None:
            continue
        found = await store.index.search(vector, _NEIGHBOURS)
        close = [
            (key, similarity)
            for key, similarity in found
            if similarity >= threshold and str(key) != record.id and str(key) not in gone
        ]
        filters = Filters(scope=record.scope, kinds=(record.kind,))
        for other, similarity in await passing(store.connection, close, filters):
            if other.scope != record.scope:  # a filter matches "any" where a part is unset
                continue
            survivor, duplicate = sorted((record, other), key=_keep_first)
            await _merge(store, survivor, duplicate, similarity)
            merges.append(Merge(survivor.id, duplicate.id, similarity))
            gone.add(duplicate.id)
            if duplicate is record:
                break
            record = _folded(record, other)
    return merges


def _keep_first(record: MemoryRecord) -> tuple[float, int, datetime]:
    """Sorts the memory to keep first: more important, more retrieved, then older."""
    return (-record.importance, -record.access_count, record.created_at)


def _folded(survivor: MemoryRecord, duplicate: MemoryRecord) -> MemoryRecord:
    """``survivor`` as the store now holds it, for comparing with the next duplicate."""
    return replace(
        survivor,
        importance=max(survivor.importance, duplicate.importance),
        access_count=survivor.access_count + duplicate.access_count,
        tags=tuple(sorted({*survivor.tags, *duplicate.tags})),
    )


async def _merge(
    store: OpenStore, survivor: MemoryRecord, duplicate: MemoryRecord, similarity: float
) -> None:
    now = datetime.now(UTC)
    await store.connection.query(
        "BEGIN TRANSACTION;"
        "UPDATE type::thing('memory', $keep) SET importance = $importance, "
        "access_count = access_count + $count, tags = array::sort(array::union(tags, $tags)) "
        "RETURN NONE;"
        "UPDATE type::thing('memory', $drop) SET archived = true RETURN NONE;"
        "RELATE (type::thing('memory', $keep))->derived_from->(type::thing('memory', $drop)) "
        "CONTENT { strength: $similarity, valid_from: $now, recorded_at: $now } RETURN NONE;"
        "COMMIT TRANSACTION;",
        {
            "keep": int(survivor.id),
            "drop": int(duplicate.id),
            "importance": max(survivor.importance, duplicate.importance),
            "count": duplicate.access_count,
            "tags": list(duplicate.tags),
            "similarity": min(max(similarity, 0.0), 1.0),
            "now": now,
        },
    )


class ConsolidationMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s merging of near-duplicates."""

    @observed("consolidate", lambda merges: [m.merged for m in merges])
    async def consolidate(
        self, *, threshold: float = 0.95, scope: Scope | None = None
    ) -> list[Merge]:
        """Fold memories at least ``threshold`` alike (cosine similarity of their
        vectors), of one kind and one scope, into one each; what was merged into what.
        The duplicates are archived with a ``derived_from`` edge from the survivor."""
        validate.unit(threshold, "threshold")
        store = await self._session.ready()
        return await consolidate(store, threshold=threshold, scope=scope or Scope())

    def consolidate_sync(self, **options: Any) -> list[Merge]:
        return run_sync(self.consolidate(**options))
