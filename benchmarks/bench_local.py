"""Local model: cold load (converting the GGUF file), cached load, time to first token
and generation speed, in one table.

    uv run --extra local python -m benchmarks.bench_local [--runs 3] [--tokens 128]

Each load runs in a fresh Python process, so it includes importing torch and
transformers, as a user's first request does: the cold load converts into an empty
temporary cache directory, the cached loads read what it wrote. Generation is measured
in this process through ``LocalChatModel.stream``, the path users take: time to the
first text piece (prompt processing plus one token) and output tokens per second after
it, greedy, over ``--runs`` prompts after one warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fluent_ai.providers.local import LocalChatModel
from fluent_ai.providers.local.catalog import SMOLLM2
from fluent_ai.types import ChatRequest, Message, TextDelta, UsageUpdate

PROMPTS = (
    "Write a short story about a lighthouse keeper.",
    "Explain how a bicycle stays upright.",
    "Describe a walk through a forest in autumn.",
)


def load_once(cache_dir: str) -> None:
    """Child process: load the model and print how long it took and from where."""
    from fluent_ai.providers.local.loader import read_local_model

    started = time.perf_counter()
    local = read_local_model(SMOLLM2, cache_dir=Path(cache_dir), progress=False)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "source": local.source}))


def timed_load(cache_dir: Path) -> tuple[float, str]:
    """Wall time of a load in a fresh process (imports included), and its source."""
    code = f"from benchmarks.bench_local import load_once; load_once({str(cache_dir)!r})"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - started
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return wall, str(report["source"])


async def one_generation(model: LocalChatModel, prompt: str, tokens: int) -> tuple[float, float]:
    """Seconds to the first text piece, and output tokens per second after it."""
    request = ChatRequest(
        model="smollm2", messages=[Message.user(prompt)], temperature=0, max_tokens=tokens
    )
    started = time.perf_counter()
    first: float | None = None
    output = 0
    async for event in model.stream(request):
        if isinstance(event, TextDelta) and first is None:
            first = time.perf_counter()
        elif isinstance(event, UsageUpdate):
            output = event.usage.output_tokens
    ended = time.perf_counter()
    if first is None:
        raise RuntimeError(f"no text for {prompt!r}")
    return first - started, (output - 1) / (ended - first)


async def generation_figures(cache_dir: Path, runs: int, tokens: int) -> list[tuple[float, float]]:
    model = LocalChatModel(progress=False, cache_dir=cache_dir)
    await model.load()
    await one_generation(model, PROMPTS[0], 8)
    return [await one_generation(model, PROMPTS[i % len(PROMPTS)], tokens) for i in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cached loads and generations")
    parser.add_argument("--tokens", type=int, default=128, help="max tokens per generation")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fluent-ai-bench-") as tmp:
        cache_dir = Path(tmp)
        cold, cold_source = timed_load(cache_dir)
        cached = [timed_load(cache_dir) for _ in range(args.runs)]
        if cold_source != "gguf" or any(source != "cache" for _, source in cached):
            raise RuntimeError(f"unexpected load sources: {cold_source}, {cached}")
        figures = asyncio.run(generation_figures(cache_dir, args.runs, args.tokens))

    cached_seconds = [seconds for seconds, _ in cached]
    first_token = [ttft for ttft, _ in figures]
    speed = [rate for _, rate in figures]
    rows = [
        ("cold load (convert GGUF, write cache)", f"{cold:.1f} s", "1 run"),
        (
            "cached load",
            f"{statistics.median(cached_seconds):.1f} s",
            f"min {min(cached_seconds):.1f} s",
        ),
        (
            "time to first token",
            f"{statistics.median(first_token) * 1000:.0f} ms",
            f"min {min(first_token) * 1000:.0f} ms",
        ),
        ("generation speed", f"{statistics.median(speed):.1f} tok/s", f"max {max(speed):.1f}"),
    ]
    print(f"SmolLM2-135M-Instruct on CPU, {args.runs} runs, loads in fresh processes")
    print(f"{'':40} {'median':>12} {'best':>14}")
    for name, median, best in rows:
        print(f"{name:40} {median:>12} {best:>14}")


if __name__ == "__main__":
    main()
