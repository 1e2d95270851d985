"""Episodic to semantic: what was said on a day becomes the facts it taught.

Episodes (the turns an agent stores) pile up: fifty lines about a move to Lisbon, of
which one fact matters. :meth:`SummaryMethods.summarize` groups the episodes of each
scope by the day they happened, hands each group to a model through the same checked
fact extraction as :meth:`~fluent_ai.memory.Memory.learn` (so a summary that changes a
known fact updates it: the old one is invalidated by a ``contradicts`` edge, never
erased), and links every fact it added to the episodes it came from with a
``derived_from`` edge. The episodes stay: a summary is the gist, the episodes are the
evidence. Each one is marked ``metadata.summarized_at`` in the same transaction as
the edges, so the next run skips it; a run cut short (the model fails on a group)
keeps every group done before it and raises for the one it could not do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from fluent_ai._sync import run_sync
from fluent_ai.memory import facts
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.errors import InvalidMemoryError
from fluent_ai.memory.facts import FactChange
from fluent_ai.memory.listing import memories
from fluent_ai.memory.observe import observed
from fluent_ai.memory.session import OpenStore
from fluent_ai.memory.types import MemoryRecord, Scope

if TYPE_CHECKING:
    from fluent_ai.memory.memory import Memory

GROUP_CHARS = 8_000
"""The most text one model call is given: a busy day is cut into several groups."""


@dataclass(frozen=True, slots=True)
class Summary:
    """One group of episodes (``scope``, ``day``) and the fact changes drawn from it."""

    scope: Scope
    day: date
    episodes: tuple[str, ...]
    changes: tuple[FactChange, ...]


async def groups(
    store: OpenStore, scope: Scope, before: datetime
) -> list[tuple[Scope, date, list[MemoryRecord]]]:
    """The episodes not yet summarized, made before ``before``, by scope and day, each
    day cut into groups of at most :data:`GROUP_CHARS` characters."""
    waiting = [
        record
        async for record, _ in memories(
            store, scope=scope, kinds=["episodic"], include_invalidated=False
        )
        if not record.archived
        and record.created_at < before
        and "summarized_at" not in record.metadata
    ]
    # Oldest first (keys are random): a later day's facts must update an earlier day's.
    waiting.sort(key=lambda record: (record.created_at, record.id))
    days: dict[tuple[Scope, date], list[list[MemoryRecord]]] = {}
    for record in waiting:
        chunks = days.setdefault((record.scope, record.created_at.date()), [[]])
        if chunks[-1] and len(_text(chunks[-1])) + len(_line(record)) > GROUP_CHARS:
            chunks.append([])
        chunks[-1].append(record)
    return [(key[0], key[1], chunk) for key, chunks in days.items() for chunk in chunks]


def _line(record: MemoryRecord) -> str:
    role = record.metadata.get("role")
    said = f" ({role})" if isinstance(role, str) else ""
    return f"{record.created_at:%H:%M}{said}: {record.content}"[:GROUP_CHARS]


def _text(episodes: list[MemoryRecord]) -> str:
    return "\n".join(_line(record) for record in episodes)


async def mark(store: OpenStore, episodes: list[MemoryRecord], changes: list[FactChange]) -> None:
    """One transaction: each episode marked summarized, each fact added linked to each
    episode by ``derived_from``."""
    added = [int(change.memory.id) for change in changes if change.memory is not None]
    await store.connection.query(
        "BEGIN TRANSACTION;"
        "FOR $e IN $episodes { UPDATE type::thing('memory', $e) "
        "SET metadata.summarized_at = $now RETURN NONE; };"
        "FOR $f IN $facts { FOR $e IN $episodes { "
        "RELATE (type::thing('memory', $f))->derived_from->(type::thing('memory', $e)) "
        "CONTENT { strength: 1.0, valid_from: $now, recorded_at: $now } RETURN NONE; }; };"
        "COMMIT TRANSACTION;",
        {
            "episodes": [int(record.id) for record in episodes],
            "facts": added,
            "now": datetime.now(UTC),
        },
    )


class SummaryMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s episodic-to-semantic summaries."""

    @observed("summarize", lambda done: [c.memory.id for s in done for c in s.changes if c.memory])
    async def summarize(
        self,
        model: str,
        *,
        scope: Scope | None = None,
        older_than: timedelta = timedelta(days=1),
        k: int = 5,
        api_key: str | None = None,
        base_url: str | None = None,
        on_summary: Callable[[Summary, int, int], None] | None = None,
    ) -> list[Summary]:
        """Let ``model`` turn the episodes made more than ``older_than`` ago (in
        ``scope``; each scope and day apart) into facts, checked against the ``k``
        closest known facts, as :meth:`learn` does; what each group became.
        ``on_summary(summary, done, total)`` follows a long run group by group."""
        if older_than < timedelta(0):
            raise InvalidMemoryError(
                f"older_than={older_than!r} is negative; give how old an episode must be, "
                "e.g. timedelta(days=1), or timedelta(0) for every episode"
            )
        store = await self._session.ready()
        memory = cast("Memory", self)
        found = await groups(store, scope or Scope(), datetime.now(UTC) - older_than)
        done: list[Summary] = []
        for scope_of, day, episodes in found:
            changes = await facts.learn(
                memory,
                f"What was said on {day:%d %B %Y}:\n{_text(episodes)}",
                model,
                scope=scope_of,
                k=k,
                source="summary",
                api_key=api_key,
                base_url=base_url,
            )
            await mark(store, episodes, changes)
            summary = Summary(scope_of, day, tuple(e.id for e in episodes), tuple(changes))
            done.append(summary)
            if on_summary is not None:
                on_summary(summary, len(done), len(found))
        return done

    def summarize_sync(self, model: str, **options: Any) -> list[Summary]:
        return run_sync(self.summarize(model, **options))
