"""Checks on what goes into the store, made before anything is written.

Each check raises :class:`~fluent_ai.memory.errors.InvalidMemoryError` naming what was
wrong and how to fix it, so a bad write never reaches the database half-done.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from fluent_ai.memory.errors import InvalidMemoryError
from fluent_ai.memory.types import MEMORY_KINDS, RELATIONS, MemoryKind, Relation

MAX_CONTENT_CHARS = 100_000
"""A memory is a fact, an event or a note, not a document: split longer text first."""


def content(text: object) -> str:
    """``text`` stripped; it must be a non-empty string of reasonable length."""
    if not isinstance(text, str):
        raise InvalidMemoryError(f"memory content must be a string, not {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise InvalidMemoryError("memory content is empty: give the text to remember")
    if len(stripped) > MAX_CONTENT_CHARS:
        raise InvalidMemoryError(
            f"memory content is {len(stripped):,} characters; the limit is "
            f"{MAX_CONTENT_CHARS:,}: split long text into several memories"
        )
    try:
        stripped.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidMemoryError(
            f"memory content holds a lone surrogate at character {exc.start}: decode the "
            "input with errors='replace'"
        ) from exc
    return stripped


def vector(values: Sequence[float], dimensions: int) -> list[float]:
    """``values`` as floats; exactly ``dimensions`` of them, every one finite."""
    found = [float(value) for value in values]
    if len(found) != dimensions:
        raise InvalidMemoryError(
            f"the vector has {len(found)} dimensions; this store holds {dimensions}-dimension "
            "vectors (one embedding model per store)"
        )
    for position, value in enumerate(found):
        if not math.isfinite(value):
            raise InvalidMemoryError(f"the vector's value at {position} is {value}: not finite")
    if not any(found):
        raise InvalidMemoryError("the vector is all zeros: it has no direction to compare by")
    return found


def kind(value: str) -> MemoryKind:
    for known in MEMORY_KINDS:
        if value == known:
            return known
    raise InvalidMemoryError(f"unknown memory kind {value!r}; use one of {', '.join(MEMORY_KINDS)}")


def relation(value: str) -> Relation:
    for known in RELATIONS:
        if value == known:
            return known
    raise InvalidMemoryError(f"unknown relation {value!r}; use one of {', '.join(RELATIONS)}")


def unit(value: float, name: str) -> float:
    """A weight between 0 and 1 (importance, strength)."""
    if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
        raise InvalidMemoryError(f"{name} must be a number from 0 to 1, not {value!r}")
    return float(value)


def tags(values: Iterable[str]) -> list[str]:
    found = []
    for tag in values:
        if not isinstance(tag, str) or not tag.strip():
            raise InvalidMemoryError(f"tags must be non-empty strings, not {tag!r}")
        found.append(tag.strip())
    return sorted(set(found))


def memory_id(value: str) -> int:
    """A memory id as the store's integer key."""
    try:
        key = int(value)
    except (TypeError, ValueError):
        key = -1
    if key <= 0:
        raise InvalidMemoryError(f"{value!r} is not a memory id (ids are positive integers)")
    return key


def moment(value: datetime | None) -> datetime:
    """``value`` in UTC (a naive time is taken as UTC); now when ``None``."""
    if value is None:
        return datetime.now(UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def optional_moment(value: datetime | None) -> datetime | None:
    return None if value is None else moment(value)
