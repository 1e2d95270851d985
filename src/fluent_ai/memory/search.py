"""Finding memories: by meaning, by words, by time, along edges, and all fused.

Each signal gives a ranked list: the vector index (cosine similarity), the BM25
full-text index (:mod:`fluent_ai.memory.words`), and graph expansion (memories one or
more edges away from the hits, scored by the hit's score times the edge strengths on
the way). Hybrid search fuses the
lists by reciprocal rank fusion, ``sum(1 / (60 + rank))`` over the lists a memory is
in: it needs no tuning between scores on different scales, and a memory found by both
meaning and words rises above one found by either alone. Time ranges, scope, kinds and
validity ("as of" a date) are filters on every signal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from fluent_ai.memory.connection import Connection
from fluent_ai.memory.records import EDGE_FIELDS, MEMORY_FIELDS, key, memory
from fluent_ai.memory.types import (
    RELATIONS,
    Hit,
    MemoryKind,
    MemoryRecord,
    Scope,
    ScoreName,
    Signal,
)
from fluent_ai.memory.vectors import VectorIndex
from fluent_ai.memory.words import WordIndex

Mode = Literal["hybrid", "vector", "text"]
Rank = Literal["relevance", "cognitive"]

RRF_K = 60
"""The rank offset of reciprocal rank fusion (Cormack et al., 2009)."""

_WORD = re.compile(r"\w+")
_MAX_WORDS = 16

_STOP_TEXT = (
    "a about above after again all am an and any are as at be because been before being "
    "below between both but by can could did do does doing down during each few for from "
    "further had has have having he her here hers him his how i if in into is it its just "
    "me more most my no nor not now of off on once only or other our out over own same she "
    "should so some such than that the their them then there these they this those through "
    "to too under until up very was we were what when where which while who whom why will "
    "with would you your"
)
STOP_WORDS: Final = frozenset(_STOP_TEXT.split())
"""English function words: matched on their own they would rank every memory."""

_WIDEN = (1, 4, 16, 64)
"""How many times ``k`` nearest neighbours to take before filtering, tried in turn:
reading a record costs far more than an index lookup, so only as many as needed."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What every signal is restricted to."""

    scope: Scope = field(default_factory=Scope)
    kinds: tuple[MemoryKind, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    as_of: datetime | None = None
    include_invalidated: bool = False
    include_archived: bool = False

    def where(self) -> tuple[str, dict[str, Any]]:
        """A SurrealQL condition and its parameters."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        for name, value in self.scope.fields().items():
            clauses.append(f"{name} = $scope_{name}")
            params[f"scope_{name}"] = value
        if self.kinds:
            clauses.append("kind IN $kinds")
            params["kinds"] = list(self.kinds)
        if self.since is not None:
            clauses.append("created_at >= $since")
            params["since"] = self.since
        if self.until is not None:
            clauses.append("created_at < $until")
            params["until"] = self.until
        if self.as_of is not None:
            clauses.append("created_at <= $as_of AND (valid_until IS NONE OR valid_until > $as_of)")
            params["as_of"] = self.as_of
        elif not self.include_invalidated:
            clauses.append("valid_until IS NONE")
        if not self.include_archived:
            clauses.append("archived != true")
        return " AND ".join(clauses) or "true", params


Ranked = list[tuple[MemoryRecord, float]]
"""One signal's list: memories with their scores, best first."""


async def by_vector(
    connection: Connection, index: VectorIndex, vector: list[float], k: int, filters: Filters
) -> Ranked:
    """The ``k`` nearest memories that pass ``filters``, widening the search while
    filtering leaves fewer than ``k``."""
    found: Ranked = []
    for factor in _WIDEN:
        wanted = k * factor
        neighbours = await index.search(vector, wanted)
        found = await passing(connection, neighbours, filters)
        if len(found) >= k or len(neighbours) < wanted:
            break
    return found[:k]


async def by_text(
    connection: Connection,
    words_index: WordIndex,
    text: str,
    k: int,
    filters: Filters,
    context: Sequence[str] = (),
    context_weight: float = 0.5,
) -> Ranked:
    """The ``k`` memories whose words best match ``text`` (BM25, any of its words).

    A full-text index's "match" finds only the memories holding *every* query word,
    which finds nothing for a question ("what does Ada eat?"). So each content word is
    matched on its own and a memory's scores are summed: BM25 of a query is the sum over
    its words, so this is BM25 with "any word" matching. Words of the ``context`` that
    the query lacks count at ``context_weight`` (see :mod:`fluent_ai.memory.query`).
    The search widens, like :func:`by_vector`'s, while the filters the index could not
    apply leave fewer than ``k``.
    """
    weights = dict.fromkeys(query_words(text), 1.0)
    for word in query_words(" ".join(context)):
        weights.setdefault(word, context_weight)
    words = [word for word, weight in weights.items() if weight > 0]
    if not words:
        return []
    found: Ranked = []
    for factor in _WIDEN:
        depth = k * 4 * factor
        matches = await words_index.search(words, depth, filters)
        totals: dict[int, float] = {}
        for word, ranked in zip(words, matches, strict=True):
            for memory_key, relevance in ranked:
                totals[memory_key] = totals.get(memory_key, 0.0) + weights[word] * relevance
        # Reading a record costs far more than an index lookup: only the best few.
        best = sorted(totals.items(), key=lambda pair: -pair[1])[: k * factor]
        found = await passing(connection, best, filters)
        complete = len(best) == len(totals) and all(len(ranked) < depth for ranked in matches)
        if len(found) >= k or complete:
            break
    return found[:k]


def query_words(text: str) -> list[str]:
    """The words of ``text`` worth matching: lower case, no stop words, each once (the
    stop words stay when they are all there is)."""
    words = list(dict.fromkeys(word.lower() for word in _WORD.findall(text)))
    content = [word for word in words if word not in STOP_WORDS and len(word) > 1]
    return (content or words)[:_MAX_WORDS]


async def by_graph(
    connection: Connection, seeds: Ranked, depth: int, filters: Filters, strongest: float = 0.0
) -> Ranked:
    """Memories up to ``depth`` current edges away from ``seeds``, not seeds themselves,
    each scored by its best path: the seed's score times the strengths along it."""
    best: dict[str, float] = {record.id: score for record, score in seeds}
    frontier = dict(best)
    reached: dict[str, float] = {}
    for _ in range(depth):
        if not frontier:
            break
        edges = await _edges_touching(connection, frontier)
        step: dict[str, float] = {}
        for source, target, strength in edges:
            for here, there in ((source, target), (target, source)):
                if here in frontier and strength > strongest:
                    score = frontier[here] * strength
                    if score > max(best.get(there, 0.0), step.get(there, 0.0)):
                        step[there] = score
        best.update(step)
        reached.update(step)
        frontier = step
    for seed, _ in seeds:
        reached.pop(seed.id, None)
    if not reached:
        return []
    scored = await passing(
        connection, [(int(key), score) for key, score in reached.items()], filters
    )
    return sorted(scored, key=lambda pair: -pair[1])


def fuse(lists: Mapping[Signal, Ranked], k: int) -> list[Hit]:
    """Reciprocal rank fusion of the signals' lists, each hit with its scores and ranks."""
    records: dict[str, MemoryRecord] = {}
    scores: dict[str, dict[ScoreName, float]] = {}
    ranks: dict[str, dict[Signal, int]] = {}
    for signal, ranked in lists.items():
        for rank, (record, score) in enumerate(ranked, start=1):
            records.setdefault(record.id, record)
            scores.setdefault(record.id, {})[signal] = score
            ranks.setdefault(record.id, {})[signal] = rank
    fused = {key: sum(1.0 / (RRF_K + rank) for rank in ranks[key].values()) for key in records}
    order = sorted(records, key=lambda key: (-fused[key], -max(scores[key].values())))
    return [
        Hit(memory=records[key], score=fused[key], scores=scores[key], ranks=ranks[key])
        for key in order[:k]
    ]


def single(signal: Signal, ranked: Ranked) -> list[Hit]:
    """One signal's list as hits, scored by that signal alone."""
    return [
        Hit(memory=record, score=score, scores={signal: score}, ranks={signal: rank})
        for rank, (record, score) in enumerate(ranked, start=1)
    ]


async def passing(
    connection: Connection, candidates: Sequence[tuple[int, float]], filters: Filters
) -> Ranked:
    """The candidates that pass ``filters``, in the candidates' order."""
    if not candidates:
        return []
    from surrealdb import RecordID

    condition, params = filters.where()
    [rows] = await connection.query(
        f"SELECT {MEMORY_FIELDS} FROM $ids WHERE {condition}",
        {**params, "ids": [RecordID("memory", found) for found, _ in candidates]},
    )
    by_key = {int(key(row["id"])): memory(row) for row in rows}
    return [(by_key[found], score) for found, score in candidates if found in by_key]


async def _edges_touching(
    connection: Connection, scores: Mapping[str, float]
) -> list[tuple[str, str, float]]:
    from surrealdb import RecordID

    ids = [RecordID("memory", int(found)) for found in scores]
    [rows] = await connection.query(
        f"SELECT {EDGE_FIELDS} FROM {', '.join(RELATIONS)} "
        "WHERE (in IN $ids OR out IN $ids) AND expired_at IS NONE",
        {"ids": ids},
    )
    return [(key(row["in"]), key(row["out"]), float(row["strength"])) for row in rows]
