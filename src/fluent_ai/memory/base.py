"""What every part of :class:`~fluent_ai.memory.Memory` stands on: its session, its
address, opening and closing.

``Memory`` is assembled from a few classes, one per concern (its own module holds the
store's reads and writes; :mod:`~fluent_ai.memory.graph`, :mod:`~fluent_ai.memory.upkeep`
and :mod:`~fluent_ai.memory.listing` hold the rest, each method beside its ``_sync``
twin), all built on this one.
"""

from __future__ import annotations

from typing import Self

from fluent_ai._closing import Closeable
from fluent_ai._sync import run_sync
from fluent_ai.memory.observe import EventCallback, Observer, OperationStats
from fluent_ai.memory.session import Session


class MemoryBase(Closeable):
    """A session over one store, opened on first use and closed once, and the
    :class:`~fluent_ai.memory.observe.Observer` its operations report to."""

    def __init__(self, session: Session, on_event: EventCallback | None = None) -> None:
        self._session = session
        self._observer = Observer(on_event)

    def metrics(self) -> dict[str, OperationStats]:
        """Each operation done since the store was opened: how many, how many failed,
        and its latency (p50, p95, max) over the last 1,024 calls."""
        return self._observer.stats()

    @property
    def url(self) -> str:
        return self._session.location.url

    async def connect(self) -> Self:
        """Open the store now rather than on first use (to see a held lock at once)."""
        await self._session.ready()
        return self

    async def aclose(self) -> None:
        """Save the vector index, close the store and release its lock."""
        await self._session.close()

    async def __aenter__(self) -> Self:
        return await self.connect()  # at once, so that a held lock shows here

    def __enter__(self) -> Self:
        return run_sync(self.connect())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"
