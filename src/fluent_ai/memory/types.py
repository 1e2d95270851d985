"""The values the memory store hands out: memories, their scope, edges, search hits.

Plain frozen dataclasses: a search builds hundreds of them and they cross no untrusted
boundary (what comes in is checked by :mod:`fluent_ai.memory.validate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

MemoryKind = Literal["episodic", "semantic", "procedural", "working"]
"""What a memory is: something that happened, a fact, a way of doing something, or an
item of the current task."""

Relation = Literal["relates_to", "caused_by", "follows", "contradicts", "part_of", "derived_from"]
"""How one memory bears on another; each is its own edge table in the store."""

MEMORY_KINDS: tuple[MemoryKind, ...] = get_args(MemoryKind)
RELATIONS: tuple[Relation, ...] = get_args(Relation)


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose memory it is. Every field given is a filter on every query, so several
    users, agents and sessions share one store without seeing each other's memories."""

    user: str | None = None
    agent: str | None = None
    session: str | None = None

    def fields(self) -> dict[str, str]:
        """The parts that are set, by name."""
        found = {"user": self.user, "agent": self.agent, "session": self.session}
        return {name: value for name, value in found.items() if value is not None}


@dataclass(frozen=True, slots=True, kw_only=True)
class MemoryRecord:
    """One stored memory.

    ``valid_until`` is set when a later fact replaced this one (``invalidated_by``):
    the memory is kept, so "what did I believe on 1 May" still has an answer.
    ``archived`` is set when it faded (:meth:`~fluent_ai.memory.Memory.decay`): kept, but
    left out of searches unless asked for.
    """

    id: str
    content: str
    kind: MemoryKind = "episodic"
    scope: Scope = Scope()
    importance: float = 0.5
    tags: tuple[str, ...] = ()
    source: str | None = None
    created_at: datetime
    last_accessed: datetime | None = None
    access_count: int = 0
    valid_until: datetime | None = None
    invalidated_by: str | None = None
    archived: bool = False
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def current(self) -> bool:
        """Whether no later fact has replaced this one."""
        return self.valid_until is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Edge:
    """A relationship between two memories, bi-temporal: ``valid_from`` / ``valid_to``
    say when it held in the world, ``recorded_at`` / ``expired_at`` when the store
    believed it. An edge that stops holding is expired, never deleted."""

    id: str
    source: str
    target: str
    relation: Relation
    strength: float
    valid_from: datetime
    valid_to: datetime | None = None
    recorded_at: datetime
    expired_at: datetime | None = None


Signal = Literal["vector", "text", "graph"]
"""What a hit was found by: meaning (cosine similarity), words (BM25), or an edge from
another hit."""

ScoreName = Literal["vector", "text", "graph", "relevance", "strength"]
"""A signal's score, or with ``rank="cognitive"`` the relevance (scaled so the best hit
has 1) and the memory's strength that multiply into the final score."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One search result and why it ranked where it did.

    ``scores`` holds each signal's own score (cosine similarity, BM25, the edge-weighted
    score of the hit it was reached from) and ``ranks`` its place in that signal's list
    (1 is best); ``score`` is the fused score the results are ordered by.
    """

    memory: MemoryRecord
    score: float
    scores: dict[ScoreName, float] = field(default_factory=dict, hash=False)
    ranks: dict[Signal, int] = field(default_factory=dict, hash=False)
