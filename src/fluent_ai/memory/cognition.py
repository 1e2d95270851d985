"""How much a memory matters now: recency, frequency, relevance and its own weight.

Search ranks by relevance alone (``rank="relevance"``). ``rank="cognitive"`` multiplies
each hit's relevance by three factors, as memory in people fades and strengthens:

* **recency**: ``0.5 + 0.5 · 2^(-age / half_life)``, where age runs from the last time the
  memory was retrieved (or made): a memory untouched for one half-life counts three
  quarters, a very old one half, never less, so relevance still decides between a
  close old match and a loose new one;
* **frequency**: ``1 + 0.1 · ln(1 + retrievals)``: each retrieval makes it a little easier
  to recall, with diminishing returns;
* **weight**: ``0.5 + importance``: the importance given when it was stored (0 to 1).

The same strength, without relevance, drives decay: :func:`strength` below a threshold
means a memory is archived (kept, left out of searches unless asked for), never deleted.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

from fluent_ai.memory.types import Hit, MemoryRecord

DEFAULT_HALF_LIFE = timedelta(days=30)


def recency(memory: MemoryRecord, now: datetime, half_life: timedelta) -> float:
    """Between 0.5 (long untouched) and 1 (just used)."""
    last = memory.last_accessed or memory.created_at
    age = max((now - last).total_seconds(), 0.0)
    return 0.5 + 0.5 * math.pow(2.0, -age / half_life.total_seconds())


def frequency(memory: MemoryRecord) -> float:
    """1 for a memory never retrieved, growing slowly with each retrieval."""
    return 1.0 + 0.1 * math.log1p(memory.access_count)


def weight(memory: MemoryRecord) -> float:
    """0.5 to 1.5, from the importance the memory was stored with."""
    return 0.5 + memory.importance


def strength(memory: MemoryRecord, now: datetime, half_life: timedelta) -> float:
    """How firmly a memory is held, relevance aside: recency × frequency × weight."""
    return recency(memory, now, half_life) * frequency(memory) * weight(memory)


def rerank(hits: list[Hit], now: datetime, half_life: timedelta = DEFAULT_HALF_LIFE) -> list[Hit]:
    """``hits`` ordered by relevance × strength; each keeps its signals and says its
    relevance (the score it had, scaled so the best is 1) and its strength."""
    if not hits:
        return []
    best = max(hit.score for hit in hits) or 1.0
    scored = []
    for hit in hits:
        relevance = hit.score / best
        held = strength(hit.memory, now, half_life)
        scores = {**hit.scores, "relevance": relevance, "strength": held}
        scored.append(replace(hit, score=relevance * held, scores=scores))
    return sorted(scored, key=lambda hit: -hit.score)
