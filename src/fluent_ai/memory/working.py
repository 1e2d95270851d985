"""Working memory: the few memories in attention now, and what they bring to mind.

People hold a handful of things in mind at once; what they attend to brings related
things closer to mind, and what they stop attending to fades. :class:`WorkingMemory`
does the same over a :class:`~fluent_ai.memory.Memory`:

* :meth:`~WorkingMemory.attend` raises the activation of the memories in focus (the
  ones a conversation is about) and spreads a share of it along their current edges,
  weighted by each edge's strength (``spread``): a memory linked to what is in focus is
  partly in focus too;
* :meth:`~WorkingMemory.step` (once per turn) lets every activation fade by ``fade``;
* only the ``capacity`` most active memories stay: the set is bounded.

:meth:`~WorkingMemory.search` ranks with it: each hit's score is multiplied by
``1 + activation`` (so by at most 2), and between memories of like relevance the one
linked to what is in mind comes first. It reorders the ``k`` hits the search found; it
does not reach past them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from fluent_ai.memory.errors import InvalidMemoryError

if TYPE_CHECKING:
    from fluent_ai.memory.memory import Memory
    from fluent_ai.memory.types import Hit

_FORGOTTEN = 0.01
"""Activation below which a memory has left working memory altogether."""


class WorkingMemory:
    """At most ``capacity`` memories of ``memory`` in attention, each with its activation."""

    def __init__(
        self, memory: Memory, *, capacity: int = 7, fade: float = 0.5, spread: float = 0.5
    ) -> None:
        if capacity < 1:
            raise InvalidMemoryError(f"capacity must be at least 1, not {capacity}")
        for name, value in (("fade", fade), ("spread", spread)):
            if not 0.0 <= value <= 1.0:
                raise InvalidMemoryError(f"{name} must be from 0 to 1, not {value}")
        self.memory = memory
        self.capacity = capacity
        self.fade = fade
        self.spread = spread
        self._activation: dict[str, float] = {}

    @property
    def focus(self) -> list[tuple[str, float]]:
        """``(memory id, activation)`` of what is in mind, most active first."""
        return sorted(self._activation.items(), key=lambda pair: -pair[1])

    def activation(self, memory_id: str) -> float:
        return self._activation.get(memory_id, 0.0)

    async def attend(self, memory_ids: Iterable[str], amount: float = 1.0) -> None:
        """Bring memories into focus, and their neighbours part of the way."""
        if not 0.0 < amount <= 1.0:
            raise InvalidMemoryError(f"amount must be above 0 and at most 1, not {amount}")
        for memory_id in dict.fromkeys(memory_ids):
            self._raise(memory_id, amount)
            for edge in await self.memory.edges(memory_id):
                other = edge.target if edge.source == memory_id else edge.source
                self._raise(other, amount * self.spread * edge.strength)
        self._keep_capacity()

    def step(self) -> None:
        """One turn passes: every activation fades, and the faintest are forgotten."""
        self._activation = {
            key: level * self.fade
            for key, level in self._activation.items()
            if level * self.fade >= _FORGOTTEN
        }

    def clear(self) -> None:
        self._activation.clear()

    async def search(self, query: str | None = None, **options: Any) -> list[Hit]:
        """:meth:`Memory.search`, each hit's score multiplied by ``1 + activation``."""
        hits = await self.memory.search(query, **options)
        boosted = [
            replace(hit, score=hit.score * (1.0 + self.activation(hit.memory.id))) for hit in hits
        ]
        return sorted(boosted, key=lambda hit: -hit.score)

    def _raise(self, memory_id: str, amount: float) -> None:
        # Activation saturates at 1: attending again refreshes rather than piles up.
        level = self._activation.get(memory_id, 0.0)
        self._activation[memory_id] = level + (1.0 - level) * amount

    def _keep_capacity(self) -> None:
        self._activation = dict(self.focus[: self.capacity])
