"""``python -m benchmarks.intent_eval``: it reads the CSV files, evaluates each method at
each number of examples, and prints the table; on a small file of our own, with the
word-hash double as the embedder (the real run uses the local MiniLM)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.intent_eval import evaluate, first, macro_f1, read, table

from tests.support.word_hash import WordHashEmbedder

DATA = Path(__file__).parents[2] / "data"


async def test_every_method_and_size_is_scored() -> None:
    train, test = read(DATA / "intent_train.csv"), read(DATA / "intent_test.csv")
    rows = await evaluate(train, test, WordHashEmbedder())

    assert [(row.method, row.per_category) for row in rows] == [
        ("centroid", 5),
        ("centroid", 10),
        ("centroid", None),
        ("knn", 5),
        ("knn", 10),
        ("knn", None),
    ]
    assert all(0.0 <= row.macro_f1 <= 1.0 and row.p50_ms <= row.p95_ms for row in rows)
    best = max(row.accuracy for row in rows)
    assert best >= 0.5  # shared words alone place most test rows
    printed = table(rows)
    assert printed.splitlines()[0].startswith("| method | examples per category |")
    assert "| knn | all |" in printed


def test_the_first_k_of_each_category_are_kept() -> None:
    rows = [("a1", "a"), ("b1", "b"), ("a2", "a"), ("a3", "a")]
    assert first(rows, 2) == {"a": ["a1", "a2"], "b": ["b1"]}
    assert first(rows, None) == {"a": ["a1", "a2", "a3"], "b": ["b1"]}


def test_macro_f1_weighs_every_category_alike() -> None:
    truth = ["a", "a", "a", "b"]
    assert macro_f1(truth, truth) == 1.0
    # all "a": a's F1 is 6/7, b's is 0
    assert macro_f1(truth, ["a"] * 4) == pytest.approx((6 / 7) / 2)


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,label\nhi,greeting\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="missing column"):
        read(bad)
