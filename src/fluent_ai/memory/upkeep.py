"""The writes that keep a memory store healthy: retrievals counted, faded memories archived.

Each retrieval is recorded (``last_accessed``, ``access_count``) because the cognitive
ranking and decay read them (:mod:`fluent_ai.memory.cognition`). Decay archives what
has faded below a threshold; it never deletes, and :func:`restore` undoes it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fluent_ai._sync import run_sync
from fluent_ai.memory import validate
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.cognition import DEFAULT_HALF_LIFE, strength
from fluent_ai.memory.connection import Connection
from fluent_ai.memory.graph import require
from fluent_ai.memory.listing import memories
from fluent_ai.memory.observe import observed
from fluent_ai.memory.session import OpenStore
from fluent_ai.memory.types import Scope

_BATCH = 1000


async def touch(connection: Connection, keys: list[int], now: datetime) -> None:
    """Count one retrieval of each memory in ``keys``."""
    if not keys:
        return
    from surrealdb import RecordID

    await connection.query(
        "UPDATE $ids SET access_count += 1, last_accessed = $now RETURN NONE",
        {"ids": [RecordID("memory", key) for key in keys], "now": now},
    )


async def decay(
    store: OpenStore,
    scope: Scope,
    *,
    threshold: float,
    half_life: timedelta,
    now: datetime,
) -> list[str]:
    """Archive every current memory in ``scope`` whose strength is below ``threshold``;
    the ids archived, in key order. Archived in statements of a thousand."""
    from surrealdb import RecordID

    faded = [
        record.id
        async for record, _ in memories(store, scope=scope, include_invalidated=False)
        if not record.archived and strength(record, now, half_life) < threshold
    ]
    for start in range(0, len(faded), _BATCH):
        await store.connection.query(
            "UPDATE $ids SET archived = true RETURN NONE",
            {"ids": [RecordID("memory", int(key)) for key in faded[start : start + _BATCH]]},
        )
    return faded


async def restore(connection: Connection, key: int) -> None:
    """Bring an archived memory back into searches."""
    await connection.query(
        "UPDATE type::thing('memory', $key) SET archived = false RETURN NONE", {"key": key}
    )


class UpkeepMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s decay and its undoing."""

    @observed("decay", lambda archived: archived)
    async def decay(
        self,
        *,
        threshold: float = 0.4,
        half_life: timedelta = DEFAULT_HALF_LIFE,
        scope: Scope | None = None,
    ) -> list[str]:
        """Archive the memories whose strength (recency × retrievals × importance, see
        :mod:`fluent_ai.memory.cognition`) has fallen below ``threshold``; their ids.
        Archived memories are kept, left out of searches unless ``include_archived``,
        and :meth:`restore` brings one back."""
        state = await self._session.ready()
        return await decay(
            state,
            scope or Scope(),
            threshold=threshold,
            half_life=half_life,
            now=datetime.now(UTC),
        )

    @observed("restore")
    async def restore(self, memory_id: str) -> None:
        """Bring an archived memory back into searches."""
        key = validate.memory_id(memory_id)
        state = await self._session.ready()
        await require(state, self.url, key)
        await restore(state.connection, key)

    def decay_sync(self, **options: Any) -> list[str]:
        return run_sync(self.decay(**options))

    def restore_sync(self, memory_id: str) -> None:
        run_sync(self.restore(memory_id))
