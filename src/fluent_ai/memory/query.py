"""The vector a search looks with: the question's meaning, blended with its context.

A follow-up question carries little meaning of its own: "and what is its name?" says
nothing of the cat the conversation is about, so its vector finds nothing useful. The
issue that asked for memory called this "quantum" retrieval (a query as a weighted
superposition of several embeddings); what survives of it here, because a test shows it
finds what the question alone misses, is plain: the query vector is the question's unit
vector plus ``weight`` times the mean of the context's unit vectors (earlier messages,
rewrites of the question), normalized. The question keeps the larger say; with no
context it is the question's own vector. The full-text side does the same with words:
the context's words that the question lacks count at ``weight``
(:func:`~fluent_ai.memory.search.by_text`). "Entanglement" (memories activating their
neighbours) is :class:`~fluent_ai.memory.WorkingMemory`'s spreading activation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fluent_ai.memory.errors import InvalidMemoryError


def blend(
    question: Sequence[float], context: Sequence[Sequence[float]], weight: float
) -> list[float]:
    """``unit(question) + weight * mean(unit(c) for c in context)``, as a unit vector."""
    if not 0.0 <= weight <= 1.0:
        raise InvalidMemoryError(f"context_weight must be from 0 to 1, not {weight}")
    blended = _unit(question)
    if not context or weight == 0.0:
        return blended
    share = weight / len(context)
    for vector in context:
        for position, value in enumerate(_unit(vector)):
            blended[position] += share * value
    return _unit(blended)


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(value * value for value in vector))
    if norm == 0.0 or not math.isfinite(norm):
        raise InvalidMemoryError("a query vector has no direction (all zeros or not finite)")
    return [value / norm for value in vector]
