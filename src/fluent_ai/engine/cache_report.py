"""How the response cache accounts for itself: hits, counts, and a semantic hit's mark.

Why a semantic hit is marked in the answer and an exact one is not is explained in
:mod:`fluent_ai.engine.cache`: an exact hit is the same request's answer, while a
semantic hit answers a different prompt, which the reader must be able to tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fluent_ai.types import Finish, ProviderData, StreamEvent

HIT_KEY = "fluent_ai.cache"
"""The key of a semantic hit's report in ``ProviderData`` and ``ChatResponse.extra``."""


@dataclass(frozen=True, slots=True)
class CacheHit:
    """One answer served from the cache.

    ``key`` is the request's own key; ``matched_key`` the cached entry's (the same for an
    exact hit). ``similarity`` and ``threshold`` are set for a semantic hit.
    """

    kind: Literal["exact", "semantic"]
    key: str
    matched_key: str
    similarity: float | None = None
    threshold: float | None = None


@dataclass
class CacheStats:
    """Counts since the wrapper was made: lookups answered and missed, answers stored,
    requests that skipped the cache (not deterministic, or ``"off"``)."""

    hits: int = 0
    semantic_hits: int = 0
    misses: int = 0
    stored: int = 0
    bypassed: int = 0
    uncacheable: int = 0
    """Answers the store could not hold (an image part, bytes in provider data)."""
    store_errors: int = 0
    """Store failures passed to ``on_store_error`` (the requests went on uncached)."""


def with_report(events: Sequence[StreamEvent], hit: CacheHit) -> list[StreamEvent]:
    """``events`` with the semantic hit's report placed just before the finish."""
    report = ProviderData(
        {HIT_KEY: {"kind": hit.kind, "similarity": hit.similarity, "threshold": hit.threshold}}
    )
    out = list(events)
    at = len(out) - 1 if out and isinstance(out[-1], Finish) else len(out)
    out.insert(at, report)
    return out


__all__ = ["HIT_KEY", "CacheHit", "CacheStats", "with_report"]
