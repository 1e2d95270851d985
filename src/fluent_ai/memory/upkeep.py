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
from fluent_ai.memory.records import MEMORY_FIELDS, memory
from fluent_ai.memory.search import Filters
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
    connection: Connection,
    filters: Filters,
    *,
    threshold: float,
    half_life: timedelta,
    now: datetime,
) -> list[str]:
    """Archive every memory passing ``filters`` whose strength is below ``threshold``;
    the ids archived. Batches of a thousand, each archived in one statement."""
    condition, params = filters.where()
    archived: list[str] = []
    after = 0
    while True:
        [rows] = await connection.query(
            f"SELECT {MEMORY_FIELDS} FROM memory:{after + 1}.. WHERE {condition} LIMIT $limit",
            {**params, "limit": _BATCH},
        )
        if not rows:
            return archived
        records = [memory(row) for row in rows]
        faded = [r.id for r in records if strength(r, now, half_life) < threshold]
        if faded:
            from surrealdb import RecordID

            await connection.query(
                "UPDATE $ids SET archived = true RETURN NONE",
                {"ids": [RecordID("memory", int(key)) for key in faded]},
            )
            archived += faded
        after = int(records[-1].id)


async def restore(connection: Connection, key: int) -> None:
    """Bring an archived memory back into searches."""
    await connection.query(
        "UPDATE type::thing('memory', $key) SET archived = false RETURN NONE", {"key": key}
    )


class UpkeepMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s decay and its undoing."""

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
        filters = Filters(scope=scope or Scope())
        state = await self._session.ready()
        return await decay(
            state.connection,
            filters,
            threshold=threshold,
            half_life=half_life,
            now=datetime.now(UTC),
        )

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
