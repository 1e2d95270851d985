"""Run every benchmark and print one table: ``uv run --group bench python -m benchmarks.run``.

Measures, against the libraries users would pick instead (installed side by side):

* ``import`` time of the package, in a fresh interpreter (median of several runs);
* per-request overhead: a streamed chat with a one-token answer, end to end, and the
  client's own share of it: the time beyond the floor row, the same request sent on a
  kept-alive socket with no HTTP library (the server's cost and the round trip);
* per-chunk overhead: the extra time per text delta in a long stream.

Both are the best of several rounds in which the clients take turns (``--rounds``).

All traffic goes to a loopback server in a separate process (``benchmarks/server.py``)
that sends pre-built bodies, so the figures are client cost, not server cost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from benchmarks import clients

# litellm downloads its model price list at import unless told to use its bundled copy;
# there is no network here, and a download would be measured as import time.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

Runner = Callable[[str, int], Awaitable[int]]


def import_time(module: str, runs: int) -> float:
    """Best wall time of ``import module`` in a fresh interpreter, minus bare start-up.

    The best of ``runs``, not the median: on a shared machine the slower runs measure
    the neighbours' load.
    """

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    bare = min(once("pass") for _ in range(runs))
    return min(once(f"import {module}") for _ in range(runs)) - bare


@contextmanager
def bench_server() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def per_call(run: Runner, base_url: str, chunks: int, calls: int) -> float:
    """Mean seconds for one streamed call of ``chunks`` deltas (after a warm-up)."""
    for _ in range(3):
        await run(base_url, chunks)
    start = time.perf_counter()
    for _ in range(calls):
        got = await run(base_url, chunks)
        if got != chunks:
            raise RuntimeError(f"expected {chunks} deltas, got {got}")
    return (time.perf_counter() - start) / calls


async def stream_figures(
    base_url: str, calls: int, long: int, rounds: int
) -> list[tuple[str, float, float]]:
    """Per-request and per-chunk cost of each client: the best of ``rounds`` rounds.

    The clients take turns within each round, so a burst of load from elsewhere on the
    machine falls on all of them rather than on one row; the best round is the one
    least disturbed, which is the client's own cost.
    """
    runners = {name: run for name, run in clients.RUNNERS.items() if clients.available(name)}
    short: dict[str, list[float]] = {name: [] for name in runners}
    longer: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            short[name].append(await per_call(run, base_url, 1, max(calls // rounds, 10)))
            longer[name].append(await per_call(run, base_url, long, max(calls // 10 // rounds, 2)))
    await clients.close()
    return [
        (name, min(short[name]) * 1e3, (min(longer[name]) - min(short[name])) / (long - 1) * 1e6)
        for name in runners
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="streamed calls per figure")
    parser.add_argument("--chunks", type=int, default=2000, help="deltas in the long stream")
    parser.add_argument("--rounds", type=int, default=5, help="turns each client takes")
    parser.add_argument("--import-runs", type=int, default=7)
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {args.calls} calls, {args.chunks}-chunk stream\n")
    print("| package | import (ms) |")
    print("|---|---:|")
    for module in (
        "fluent_ai",
        "fluent_ai.types",
        "fluent_ai.providers.remote, fluent_ai.providers.openai",
        "openai",
        "anthropic",
        "litellm",
    ):
        try:
            print(f"| `{module}` | {import_time(module, args.import_runs) * 1e3:.0f} |")
        except subprocess.CalledProcessError:
            print(f"| `{module}` | not installed |")
    with bench_server() as base_url:
        rows = asyncio.run(stream_figures(base_url, args.calls, args.chunks, args.rounds))
    floor_ms = rows[0][1]
    print("\n| client (streamed chat) | per request (ms) | client's own (ms) | per chunk (µs) |")
    print("|---|---:|---:|---:|")
    for name, request_ms, chunk_us in rows:
        print(f"| {name} | {request_ms:.2f} | {request_ms - floor_ms:.2f} | {chunk_us:.1f} |")


if __name__ == "__main__":
    main()
