"""Retrieval on a long conversation in the LoCoMo format: evidence recall per category.

    uv run --all-extras python -m benchmarks.memory_eval FILE [--store mem://]

FILE is one conversation as LoCoMo writes it: a JSON object with ``speaker_a``,
``speaker_b``, ``session_N`` (a list of turns ``{speaker, dia_id, text}``),
``session_N_date_time`` (e.g. "1:56 pm on 8 May, 2023") and ``qa`` (a list of
``{question, answer, evidence: [dia_id…], category}``); a list of such objects, or an
object holding one under ``conversation``, is read too. Every turn is stored as an
episodic memory made at its session's time, with the local embedder (offline). Then
each question is asked, and the table gives, per category, the share of the evidence
turns found in the first 5 and the first 10 hits, for plain vector search and for the
full ranking (hybrid vector + BM25, cognitive re-ranking).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fluent_ai.memory import Memory

SETTINGS: dict[str, dict[str, Any]] = {
    "vector": {"mode": "vector"},
    "hybrid + cognitive": {"mode": "hybrid", "rank": "cognitive"},
}


@dataclass(frozen=True, slots=True)
class Turn:
    dia_id: str
    speaker: str
    text: str
    when: datetime


@dataclass(frozen=True, slots=True)
class Question:
    question: str
    evidence: tuple[str, ...]
    category: str


def parse_time(text: str) -> datetime:
    """LoCoMo's "1:56 pm on 8 May, 2023" as a UTC time."""
    cleaned = re.sub(r"\s+", " ", text.strip())
    return datetime.strptime(cleaned, "%I:%M %p on %d %B, %Y").replace(tzinfo=UTC)


def conversations(data: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from conversations(item)
    elif isinstance(data, Mapping):
        inner = data.get("conversation")
        if isinstance(inner, Mapping):
            yield {**inner, "qa": data.get("qa", inner.get("qa", []))}
        else:
            yield data


def read(conversation: Mapping[str, Any]) -> tuple[list[Turn], list[Question]]:
    turns = []
    sessions = sorted(
        (int(match.group(1)), key)
        for key in conversation
        if (match := re.fullmatch(r"session_(\d+)", key))
    )
    for number, key in sessions:
        when = parse_time(conversation[f"session_{number}_date_time"])
        for turn in conversation[key]:
            turns.append(Turn(turn["dia_id"], turn["speaker"], turn["text"], when))
    questions = [
        Question(item["question"], tuple(item.get("evidence") or ()), str(item["category"]))
        for item in conversation.get("qa", [])
        if item.get("evidence")
    ]
    return turns, questions


async def evaluate(data: Any, store: str) -> dict[str, dict[str, list[float]]]:
    """Setting → category (and category@10) → each question's evidence recall."""
    found: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for conversation in conversations(data):
        turns, questions = read(conversation)
        async with Memory.open(store) as memory:
            ids = {}
            for turn in turns:
                added = await memory.add(
                    f"{turn.speaker}: {turn.text}", created_at=turn.when, source=turn.dia_id
                )
                ids[added.id] = turn.dia_id
            for question in questions:
                wanted = set(question.evidence)
                for name, options in SETTINGS.items():
                    hits = await memory.search(
                        question.question, k=10, track_access=False, **options
                    )
                    got = [ids[hit.memory.id] for hit in hits]
                    found[name][question.category].append(recall(got[:5], wanted))
                    found[name][f"{question.category}@10"].append(recall(got, wanted))
    return found


def recall(got: list[str], wanted: set[str]) -> float:
    return len(wanted & set(got)) / len(wanted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a conversation in the LoCoMo format")
    parser.add_argument("--store", default="mem://", help="where to build the store")
    arguments = parser.parse_args()
    data = json.loads(arguments.file.read_text(encoding="utf-8"))
    results = asyncio.run(evaluate(data, arguments.store))
    categories = sorted({c for per in results.values() for c in per if not c.endswith("@10")})
    print(f"{'category':<12}{'questions':>10}", end="")
    for name in SETTINGS:
        print(f"{name + ' @5':>26}{'@10':>6}", end="")
    print()
    for category in [*categories, "all"]:
        print(f"{category:<12}", end="")
        for number, name in enumerate(SETTINGS):
            per = results[name]
            at5 = per[category] if category != "all" else [v for c in categories for v in per[c]]
            key = f"{category}@10"
            at10 = (
                per[key] if category != "all" else [v for c in categories for v in per[f"{c}@10"]]
            )
            if number == 0:
                print(f"{len(at5):>10}", end="")
            print(f"{sum(at5) / len(at5):>26.3f}{sum(at10) / len(at10):>6.3f}", end="")
        print()


if __name__ == "__main__":
    main()
