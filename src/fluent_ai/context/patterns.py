"""Glob patterns over ``/``-separated relative paths, with ``**`` for any depth.

``Path.glob`` matches against the file system, but sources match paths they have
already found while walking, so that they can prune ignored directories instead of
listing them. This module matches the way ``Path.glob`` does: segment by segment,
each with :mod:`fnmatch` (``*``, ``?``, ``[abc]``, ``[!abc]``; ``*`` also matches
names that start with a dot), and a ``**`` segment standing for any number of whole
segments, none included. Matching is case-sensitive.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GLOB_CHARACTERS = frozenset("*?[")

Patterns = str | Iterable[str]
"""One glob, or several."""

_Segment = re.Pattern[str] | None
"""One compiled pattern segment; ``None`` stands for ``**``."""


def is_literal(segment: str) -> bool:
    """Whether a path segment has no glob characters, and so names exactly one entry."""
    return GLOB_CHARACTERS.isdisjoint(segment)


class Glob:
    """A compiled glob pattern, matched against whole relative paths."""

    __slots__ = ("_segments", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._segments: tuple[_Segment, ...] = tuple(
            None if segment == "**" else re.compile(fnmatch.translate(segment))
            for segment in pattern.split("/")
        )

    def matches(self, relative: str) -> bool:
        """Whether ``relative`` (``/``-separated) matches the whole pattern."""
        return _matches(self._segments, relative.split("/"))

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"


def _matches(pattern: Sequence[_Segment], parts: Sequence[str]) -> bool:
    """Wildcard matching over segments, ``**`` as the wildcard.

    The classic greedy algorithm: on a mismatch, go back to the last ``**`` and let
    it swallow one more segment. Earlier ``**`` never need revisiting, since a later
    one can absorb anything they could, so the work stays linear in practice.
    """
    p = s = 0
    star, mark = -1, 0
    while s < len(parts):
        if p < len(pattern):
            segment = pattern[p]
            if segment is None:
                star, mark = p, s
                p += 1
                continue
            if segment.match(parts[s]):
                p += 1
                s += 1
                continue
        if star < 0:
            return False
        mark += 1
        p, s = star + 1, mark
    return all(segment is None for segment in pattern[p:])


@dataclass(frozen=True, slots=True)
class PathFilter:
    """Include and exclude globs for the files under one directory.

    A pattern with a ``/`` is matched against the whole relative path; one without
    is matched against the name alone, at any depth, so ``"*.py"`` means every
    Python file. A trailing ``/`` is dropped. Exclusion wins over inclusion, and an
    excluded directory is not entered at all.
    """

    include: tuple[Glob, ...]
    exclude: tuple[Glob, ...]

    @classmethod
    def of(cls, include: Patterns | None, exclude: Patterns | None) -> PathFilter:
        return cls(_compile(include), _compile(exclude))

    def includes_file(self, relative: str) -> bool:
        """Whether a file at ``relative`` (``/``-separated) belongs to the source."""
        if self.excludes(relative):
            return False
        return not self.include or _any_matches(self.include, relative)

    def excludes(self, relative: str) -> bool:
        """Whether a file or directory at ``relative`` is excluded."""
        return _any_matches(self.exclude, relative)


def _compile(patterns: Patterns | None) -> tuple[Glob, ...]:
    listed = [patterns] if isinstance(patterns, str) else list(patterns or ())
    return tuple(Glob(pattern.rstrip("/")) for pattern in listed)


def _any_matches(globs: tuple[Glob, ...], relative: str) -> bool:
    name = relative.rpartition("/")[2]
    return any(glob.matches(relative if "/" in glob.pattern else name) for glob in globs)
