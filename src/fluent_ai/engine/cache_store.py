"""Where the response cache keeps answers: the store protocol and its entry type.

A store maps a request key (:func:`~fluent_ai.engine.request_key.request_key`) to the
events of the answer, for a time to live, within a bound on its size. Stores are
async so that one on disk or across the network never blocks the event loop; the
in-memory store answers without suspending. Expiry is the store's business, so that a
store shared by several processes agrees on what has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fluent_ai.types import FluentAIError, StreamEvent


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A cached answer: its events, and when it was stored (the store's clock)."""

    events: tuple[StreamEvent, ...]
    stored_at: float


class CacheStoreError(FluentAIError):
    """A store could not be read or written (its server is down, its file is locked)."""


class CacheStore(Protocol):
    """A bounded map from request keys to answers, each kept for a time to live."""

    async def get(self, key: str) -> CacheEntry | None:
        """The live entry for ``key``; ``None`` when there is none or it has expired."""
        ...

    async def set(self, key: str, events: tuple[StreamEvent, ...], ttl: float | None) -> None:
        """Keep ``events`` under ``key`` for ``ttl`` seconds (``None``: until evicted)."""
        ...

    async def delete(self, key: str) -> None: ...

    async def clear(self) -> None: ...

    async def size(self) -> int:
        """How many entries are stored, expired ones not yet purged included."""
        ...

    async def aclose(self) -> None: ...


__all__ = ["CacheEntry", "CacheStore", "CacheStoreError"]
