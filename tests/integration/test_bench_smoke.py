"""Every benchmark script still runs: once each, at a tiny size, in a fresh interpreter.

Only the ``bench-smoke`` profile runs these (``pytest --profile bench-smoke``): the
figures they print at this size mean nothing, but a benchmark broken by a change in the
library is found here rather than on the day someone wants its numbers.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.support.cassettes import REPO

pytestmark = pytest.mark.bench_smoke

BENCHMARKS = {
    "run": (["--calls", "2", "--chunks", "10", "--import-runs", "1"], "litellm", "per chunk"),
    "bench_registry": (["--runs", "1"], "litellm", "models loaded"),
    "bench_templates": (["--lines", "20", "--repeat", "1"], None, "handlebars"),
    "bench_stream_parsing": (["--deltas", "20", "--rounds", "1"], None, "SSE + OpenAI decoder"),
    "bench_memory": (["--count", "30", "--queries", "3"], "surrealdb", "usearch alone"),
    "bench_embeddings": (["--runs", "1", "--passes", "1", "--texts", "8"], "onnxruntime", "|"),
    "bench_local": (["--runs", "1", "--tokens", "4"], "onnxruntime", "SmolLM2"),
    "bench_engine_dedup": (
        ["--waiters", "5", "--rounds", "1", "--calls", "10", "--chunks", "3"],
        None,
        "upstream calls",
    ),
    # Runs without litellm too (its rows are left out): the fluent-ai rows, the no-I/O
    # table and the de-duplication table are still measured.
    "bench_router": (["--quick"], None, "Deduplicated(Router), non-streamed | 10 | 1 |"),
    # The gateway under fluent-ai serve and bare uvicorn, 1 worker; no LiteLLM proxy.
    "bench_gateway": (["--quick"], None, "fluent-ai serve        1 |"),
    # A long conversation, and a stream paced as a model sends one.
    "profile_gateway": (
        ["--whole", "20", "--streams", "5", "--turns", "3", "--pace", "200", "--repeat", "1"],
        "uvloop",
        "stream: own time by area",
    ),
}
"""Each script's tiny arguments, the package it needs (the ``bench`` group's litellm is
not in every environment) and words its table must contain."""


@pytest.mark.parametrize("name", BENCHMARKS)
def test_the_benchmark_runs(name: str) -> None:
    arguments, needs, expects = BENCHMARKS[name]
    if needs is not None and importlib.util.find_spec(needs) is None:
        pytest.skip(f"{needs} is not installed (uv sync --group bench)")
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert expects in done.stdout
