"""Intent routing by examples: accuracy, macro-F1 and classification latency, one table.

    uv run --all-extras python -m benchmarks.intent_eval TRAIN.csv TEST.csv
        [--embedder local/all-minilm-l6-v2] [--threshold -1]

Both files are CSV with the columns ``text,category``. The router
(:class:`fluent_ai.engine.intent.IntentRouter`, no rules) learns the training rows as
labelled examples and names a category for every test row; each row of the table is
one method (nearest centroid, or the 5 nearest examples voting) with K examples per
category (the first K of each in the file: 5, 10, all). Latency is the time of one
``route()`` call, embedding the text included, over every test row. With the default
``--threshold -1`` every text gets a category; a higher one sends weak matches to a
``default`` route, which counts as wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fluent_ai.engine.intent import IntentRouter, Method

if TYPE_CHECKING:
    from fluent_ai.embeddings import EmbeddingModel

SIZES: tuple[int | None, ...] = (5, 10, None)
METHODS: tuple[Method, ...] = ("centroid", "knn")


@dataclass(frozen=True, slots=True)
class Row:
    method: Method
    per_category: int | None
    accuracy: float
    macro_f1: float
    p50_ms: float
    p95_ms: float


def read(path: Path) -> list[tuple[str, str]]:
    """``(text, category)`` rows of a CSV file with those two columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "category"} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return [(row["text"], row["category"]) for row in reader if row["text"].strip()]


def first(rows: Sequence[tuple[str, str]], per_category: int | None) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = defaultdict(list)
    for text, category in rows:
        if per_category is None or len(examples[category]) < per_category:
            examples[category].append(text)
    return dict(examples)


def macro_f1(truth: Sequence[str], guessed: Sequence[str]) -> float:
    """The mean over categories of each one's F1 (precision and recall alike)."""
    scores = []
    for category in sorted(set(truth)):
        hit = sum(t == g == category for t, g in zip(truth, guessed, strict=True))
        said = sum(g == category for g in guessed)
        real = sum(t == category for t in truth)
        precision = hit / said if said else 0.0
        recall = hit / real if real else 0.0
        total = precision + recall
        scores.append(2 * precision * recall / total if total else 0.0)
    return statistics.fmean(scores)


async def evaluate(
    train: Sequence[tuple[str, str]],
    test: Sequence[tuple[str, str]],
    embedder: str | EmbeddingModel,
    *,
    threshold: float = -1.0,
) -> list[Row]:
    rows = []
    for method in METHODS:
        for size in SIZES:
            router = await IntentRouter.build(
                examples=first(train, size), embedder=embedder, method=method, threshold=threshold
            )
            guessed, seconds = [], []
            for text, _ in test:
                started = time.perf_counter()
                guessed.append(await router.route(text))
                seconds.append(time.perf_counter() - started)
            truth = [category for _, category in test]
            accuracy = sum(t == g for t, g in zip(truth, guessed, strict=True)) / len(test)
            cuts = statistics.quantiles(seconds, n=20) if len(seconds) > 1 else seconds
            rows.append(
                Row(
                    method,
                    size,
                    accuracy,
                    macro_f1(truth, guessed),
                    statistics.median(seconds) * 1000,
                    cuts[-1] * 1000,
                )
            )
            await router.aclose()
    return rows


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| method | examples per category | accuracy | macro-F1 | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        size = "all" if row.per_category is None else str(row.per_category)
        lines.append(
            f"| {row.method} | {size} | {row.accuracy:.3f} | {row.macro_f1:.3f} "
            f"| {row.p50_ms:.2f} | {row.p95_ms:.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("test", type=Path)
    parser.add_argument("--embedder", default="local/all-minilm-l6-v2")
    parser.add_argument("--threshold", type=float, default=-1.0)
    options = parser.parse_args(argv)
    train, test = read(options.train), read(options.test)
    if not train or not test:
        raise SystemExit("both files need at least one row")
    embedder: str = options.embedder
    # One model for every row, so that its load is not timed as a classification.
    from fluent_ai.embeddings import get_embedding_model

    model = get_embedding_model(embedder)
    rows = asyncio.run(evaluate(train, test, model, threshold=options.threshold))
    print(f"{len(train)} training rows, {len(test)} test rows, {embedder}")
    print(table(rows))


if __name__ == "__main__":
    main()
