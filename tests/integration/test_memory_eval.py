"""The LoCoMo retrieval evaluation, run on a small conversation of our own."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("surrealdb", reason="the memory extra is not installed")

from benchmarks import memory_eval

from tests.support.minilm import minilm_cache

pytestmark = pytest.mark.slow

SMALL = Path(__file__).resolve().parents[1] / "data" / "locomo_small.json"


@pytest.fixture(scope="module", autouse=True)
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with minilm_cache(tmp_path_factory) as root:
        yield root


def test_locomo_times_and_layouts_are_read() -> None:
    assert memory_eval.parse_time("1:56 pm on 8 May, 2023") == datetime(
        2023, 5, 8, 13, 56, tzinfo=UTC
    )
    data = json.loads(SMALL.read_text())
    wrapped = [{"conversation": {k: v for k, v in data.items() if k != "qa"}, "qa": data["qa"]}]
    [conversation] = memory_eval.conversations(wrapped)
    turns, questions = memory_eval.read(conversation)
    assert (len(turns), len(questions)) == (18, 8)
    assert turns[6].dia_id == "D2:1"
    assert turns[6].when == datetime(2023, 5, 21, 19, 10, tzinfo=UTC)


def test_the_evaluation_prints_recall_per_category(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["memory_eval", str(SMALL)])

    memory_eval.main()

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["category", "questions"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert set(rows) == {"1", "2", "3", "4", "all"}
    assert rows["all"][0] == "8"
    recalls = [float(value) for row in rows.values() for value in row[1:]]
    assert all(0.0 <= value <= 1.0 for value in recalls)
    assert float(rows["all"][3]) >= 0.75  # hybrid + cognitive, recall@5, on easy questions
