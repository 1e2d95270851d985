"""The in-process response store: least recently used first out, with a time to live.

The default store: no I/O, no serialization (entries are the event objects, which are
frozen), and nothing shared between processes. A hit moves an entry to the back of
the eviction order, so the answers asked for most stay.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from fluent_ai.engine.cache_store import CacheEntry
from fluent_ai.types import ConfigurationError, StreamEvent


class MemoryStore:
    """At most ``max_entries`` answers in this process; ``clock`` is for tests."""

    def __init__(
        self, *, max_entries: int = 1024, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_entries < 1:
            raise ConfigurationError(
                f"MemoryStore(max_entries={max_entries}) keeps nothing; pass 1 or more"
            )
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[CacheEntry, float | None]] = OrderedDict()

    def __repr__(self) -> str:
        return f"MemoryStore(entries={len(self._entries)}, max_entries={self.max_entries})"

    async def get(self, key: str) -> CacheEntry | None:
        found = self._entries.get(key)
        if found is None:
            return None
        entry, expires = found
        if expires is not None and self._clock() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    async def set(self, key: str, events: tuple[StreamEvent, ...], ttl: float | None) -> None:
        now = self._clock()
        self._entries[key] = (CacheEntry(events, now), None if ttl is None else now + ttl)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def clear(self) -> None:
        self._entries.clear()

    async def size(self) -> int:
        return len(self._entries)

    async def aclose(self) -> None:
        return None


__all__ = ["MemoryStore"]
