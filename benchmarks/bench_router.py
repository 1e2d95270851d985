"""Router overhead per request and per chunk, beside LiteLLM's Router; de-duplication.

    uv run --all-extras --group bench python -m benchmarks.bench_router [--quick]
        [--rounds 7] [--calls 20] [--block-ms 100] [--chunks 200] [--waiters 100]
        [--profile stream]

Everything goes to one loopback upstream, the server of ``benchmarks/server.py`` (its
own process, pre-built bodies: a JSON completion or a stream of N text deltas, N from
the model name), so the figures are client cost. For each library, a direct call and
the same call through its router (one deployment; three tried in order; three ranked
by latency) are measured in the same run, interleaved: each round runs a block of
calls of every client in turn (at least ``--calls``, as many as fill ``--block-ms``;
the order rotating from round to round), so drift and bursts of load from elsewhere
fall on all of them. The second table takes the HTTP away: a
:class:`~fluent_ai.engine.Cached` hit, and the routers over it, measure the router's
own code alone.

Each figure is the median over rounds of the block's mean per call, as wall time and
as this process's CPU time (``time.process_time``: the server runs elsewhere, and on a
shared machine the CPU time moves far less than the wall time). *Over direct* is the
median over rounds of a router's CPU time minus the first row's of its group in the
same round. *Per chunk* is the slope between a 1-delta stream and an N-delta one. The
last table starts ``--waiters`` identical requests at once through a router, with and
without :class:`~fluent_ai.engine.Deduplicated`, and counts what the server answered
(litellm has no such wrapper). ``--profile`` prints where the router's time goes
(cProfile over a 1-deployment router, over a cache hit).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import importlib.util
import pstats
import statistics
import sys
import time
from typing import Any

from benchmarks.bench_engine_dedup import served
from benchmarks.router_clients import (
    PROMPT,
    Call,
    deltas,
    deployment,
    fluent_call,
    fluent_clients,
    litellm_clients,
    no_io_clients,
)
from benchmarks.run import bench_server
from fluent_ai.engine import Cached, Deduplicated, Router
from fluent_ai.providers.base import ChatModel
from fluent_ai.types import ChatRequest


async def settle() -> float:
    """Wait until this process is idle (up to a second): the CPU time when it became so.

    litellm logs each call on background tasks and threads after it has returned; that
    work is the cost of the calls that made it, not of the next client's block. The
    quiet 20 ms that show the process idle are not counted.
    """
    for _ in range(50):
        before = time.process_time()
        await asyncio.sleep(0.02)
        if time.process_time() - before < 0.0005:
            return before
    return time.process_time()


async def block(call: Call, chunks: int, stream: bool, calls: int) -> tuple[float, float]:
    """CPU and wall seconds per call over ``calls`` calls (CPU with what they left behind)."""
    await settle()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        got = await call(chunks, stream)
        if got != (chunks if stream else 1):
            raise RuntimeError(f"expected {chunks if stream else 1} deltas, got {got}")
    wall = time.perf_counter() - start_wall
    return (await settle() - start_cpu) / calls, wall / calls


async def overhead_rows(
    groups: list[dict[str, Call]],
    opened: list[Any],
    rounds: int,
    calls: int,
    chunks: int,
    seconds: float,
) -> list[str]:
    """One row per client; the first client of each group is the base of the others.

    A block runs ``calls`` calls or more, as many as take about ``seconds`` (from the
    warm-up), so that a fast client's figure is not a few milliseconds long.
    """
    bases = {name: next(iter(group)) for group in groups for name in group}
    clients = {name: call for group in groups for name, call in group.items()}
    # (chunks, streamed, fewest calls per block): a whole answer, a 1- and an N-delta stream.
    kinds = ((1, False, calls), (1, True, calls), (chunks, True, max(calls // 4, 2)))
    names = list(clients)
    sizes: dict[tuple[str, int], int] = {}
    for name in names:  # warm-up: connections, imports, latency averages; block sizes
        for k, (n, stream, fewest) in enumerate(kinds):
            await block(clients[name], n, stream, 5)
            took = (await block(clients[name], n, stream, 5))[1]
            sizes[name, k] = max(fewest, min(10_000, round(seconds / took)))
    # What is alive now (litellm's modules above all) is left out of every collection, so
    # a full collection landing in one block measures the calls, not the imports.
    gc.collect()
    gc.freeze()
    cpu: dict[tuple[str, int], list[float]] = {(n, k): [] for n in names for k in range(3)}
    wall: dict[tuple[str, int], list[float]] = {(n, k): [] for n in names for k in range(3)}
    for round_ in range(rounds):
        turn = names[round_ % len(names) :] + names[: round_ % len(names)]
        for k, (n, stream, _) in enumerate(kinds):
            for name in turn:
                used, took = await block(clients[name], n, stream, sizes[name, k])
                cpu[name, k].append(used)
                wall[name, k].append(took)
    gc.unfreeze()
    for model in opened:
        await model.aclose()

    def slope(table: dict[tuple[str, int], list[float]], name: str) -> list[float]:
        return [(b - a) / (chunks - 1) for a, b in zip(table[name, 1], table[name, 2], strict=True)]

    rows = []
    for name in names:
        base = bases[name]
        cells = [name]
        for k in range(3):
            mine = cpu[name, k] if k < 2 else slope(cpu, name)
            theirs = cpu[base, k] if k < 2 else slope(cpu, base)
            waited = wall[name, k] if k < 2 else slope(wall, name)
            over = statistics.median(a - b for a, b in zip(mine, theirs, strict=True))
            digits = 0 if k < 2 else 2
            cells += [
                f"{statistics.median(waited) * 1e6:.{digits}f}",
                f"{statistics.median(mine) * 1e6:.{digits}f}",
                "" if name == base else f"{over * 1e6:+.{digits}f}",
            ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


async def burst(model: ChatModel, request: ChatRequest, waiters: int, stream: bool) -> int:
    async def one() -> int:
        return await deltas(model, request) if stream else len((await model.complete(request)).text)

    got = await asyncio.gather(*(one() for _ in range(waiters)))
    if len(set(got)) != 1:
        raise RuntimeError(f"waiters got different answers: {sorted(set(got))}")
    return got[0]


async def dedup_rows(base_url: str, waiters: int, rounds: int, chunks: int) -> list[str]:
    router = Router([deployment(base_url, chunks)])
    shared = Deduplicated(router)
    same = ChatRequest(model="bench", messages=PROMPT, temperature=0)
    rows = []
    for stream in (True, False):
        for name, model in (("Router", router), ("Deduplicated(Router)", shared)):
            await burst(model, same, waiters, stream)  # warm-up
            upstream, cpu, wall = [], [], []
            for _ in range(rounds):
                before, start_cpu, start = (
                    served(base_url),
                    time.process_time(),
                    time.perf_counter(),
                )
                await burst(model, same, waiters, stream)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                upstream.append(served(base_url) - before)
            kind = f"streamed ({chunks} deltas)" if stream else "non-streamed"
            rows.append(
                f"| {name}, {kind} | {waiters} | {statistics.median(upstream):.0f} "
                f"| {statistics.median(wall) * 1e3:.1f} | {statistics.median(cpu) * 1e3:.1f} |"
            )
    await shared.aclose()
    return rows


async def profile(base_url: str, stream: bool, calls: int) -> None:
    """Where a 1-deployment router's time goes, over a cache hit so that no HTTP hides it."""
    cached = Cached(deployment(base_url, 1).open())
    call = fluent_call({1: Router([deployment(base_url, 1, model=cached)])}, 0.0)
    await block(call, 1, stream, 20)
    profiler = cProfile.Profile()
    profiler.enable()
    await block(call, 1, stream, calls)
    profiler.disable()
    await cached.aclose()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(30)


def table(args: argparse.Namespace, groups: list[dict[str, Call]], opened: list[Any]) -> list[str]:
    return asyncio.run(
        overhead_rows(groups, opened, args.rounds, args.calls, args.chunks, args.block_ms / 1e3)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="turns each client takes")
    parser.add_argument("--calls", type=int, default=20, help="fewest calls per block")
    parser.add_argument("--block-ms", type=float, default=100, help="time a block aims at")
    parser.add_argument("--chunks", type=int, default=200, help="deltas in the long stream")
    parser.add_argument("--waiters", type=int, default=100, help="identical requests at once")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--profile", choices=("stream", "complete"), help="profile the router")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.calls, args.chunks, args.waiters, args.block_ms = 2, 3, 10, 10, 5
    if args.chunks < 2:
        parser.error("--chunks must be 2 or more (the per-chunk figure is a slope)")
    with bench_server() as base_url:
        if args.profile:
            asyncio.run(profile(base_url, args.profile == "stream", args.calls * 500))
            return
        print(
            f"Python {sys.version.split()[0]}, {args.rounds} rounds, blocks of {args.calls}+ "
            f"calls or {args.block_ms:g} ms\n"
        )
        # No I/O and de-duplication first, before litellm is loaded at all.
        counts = (1, args.chunks)
        calls, opened = no_io_clients(base_url, counts)
        no_io = table(args, [calls], opened)
        shared = asyncio.run(dedup_rows(base_url, args.waiters, args.rounds, 20))
        calls, opened = fluent_clients(base_url, counts)
        groups = [calls]
        if importlib.util.find_spec("litellm") is not None:
            groups.append(litellm_clients(base_url, counts)[0])
        over_http = table(args, groups, opened)
    for title, rows in (("over HTTP", over_http), ("with no I/O", no_io)):
        print(
            f"| µs per call, {title} | whole answer: wall | CPU | over direct "
            f"| 1-delta stream: wall | CPU | over direct "
            f"| per chunk ({args.chunks} vs 1): wall | CPU | over direct |"
        )
        print("|---|" + "---:|" * 9)
        print("\n".join(rows) + "\n")
    print("| identical requests at once | requests | upstream calls | wall (ms) | CPU (ms) |")
    print("|---|---:|---:|---:|---:|")
    print("\n".join(shared))


if __name__ == "__main__":
    main()
