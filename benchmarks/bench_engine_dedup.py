"""De-duplication under a burst of identical requests: upstream calls and time per request.

    uv run --all-extras python -m benchmarks.bench_engine_dedup [--waiters 100] [--rounds 15]

Each round starts ``--waiters`` streamed requests at once against the loopback server
of ``benchmarks/server.py`` (its own process, pre-built bodies, and a count of the
answers it sent), first straight to the model, then through
:class:`~fluent_ai.engine.Deduplicated`. *Upstream calls* is what the server counted for
one burst; *per request* is the burst's wall time divided by the number of requests
(median over rounds). The second table is the wrapper's own cost when nothing can be
shared: one request at a time, direct and wrapped calls interleaved in blocks, with
the client process's CPU time per call beside the wall time (on a shared machine the
wall time mostly measures the other jobs), the overhead being the difference in CPU
time, and the cost of the request key alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import aclosing

from benchmarks.run import bench_server
from fluent_ai.engine.cache import Cached
from fluent_ai.engine.dedup import Deduplicated
from fluent_ai.engine.request_key import request_key
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.providers.openai.profiles import PROFILES
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import ChatRequest, Message, TextDelta


def served(base_url: str) -> int:
    with urllib.request.urlopen(base_url + "/stats") as response:  # loopback only
        return int(json.load(response)["requests"])


async def one(model: ChatModel, request: ChatRequest) -> int:
    async with aclosing(model.stream(request)) as events:
        return sum([isinstance(e, TextDelta) async for e in events])


async def burst(model: ChatModel, requests: Callable[[int], ChatRequest], waiters: int) -> float:
    start = time.perf_counter()
    counts = await asyncio.gather(*(one(model, requests(i)) for i in range(waiters)))
    elapsed = time.perf_counter() - start
    if len(set(counts)) != 1:
        raise RuntimeError(f"waiters got different answers: {sorted(set(counts))}")
    return elapsed


async def burst_rows(base_url: str, waiters: int, rounds: int, chunks: int) -> list[str]:
    direct = HttpChatModel(
        PROFILES["openai"], OpenAIChatProtocol(), api_key="bench", base_url=base_url + "/v1"
    )
    shared = Deduplicated(direct)
    same = ChatRequest(model=f"bench-{chunks}", messages=[Message.user("same")], temperature=0)
    rows = []
    for name, model in (("direct", direct), ("Deduplicated", shared)):
        await burst(model, lambda i: same, waiters)  # warm-up: connections, imports
        times, calls = [], []
        for _ in range(rounds):
            before = served(base_url)
            times.append(await burst(model, lambda i: same, waiters))
            calls.append(served(base_url) - before)
        per = statistics.median(times) / waiters * 1e6
        rows.append(f"| {name} | {waiters} | {statistics.median(calls)} | {per:.0f} |")
    await direct.aclose()
    return rows


async def overhead_rows(base_url: str, calls: int, chunks: int) -> list[str]:
    direct = HttpChatModel(
        PROFILES["openai"], OpenAIChatProtocol(), api_key="bench", base_url=base_url + "/v1"
    )
    request = ChatRequest(model=f"bench-{chunks}", messages=[Message.user("distinct")])
    fixed = request.model_copy(update={"temperature": 0.0})
    wrappers: dict[str, tuple[ChatModel, ChatRequest]] = {
        "Deduplicated": (Deduplicated(direct), request),
        "Cached, not cacheable (temperature unset)": (Cached(direct), request),
        "Cached, hit (temperature 0)": (Cached(direct), fixed),
        # No HTTP at all: what de-duplication itself costs, measured over a cache hit.
        "Deduplicated over a Cached hit": (Deduplicated(Cached(direct)), fixed),
    }
    for _ in range(20):
        await one(direct, request)
        for model, asked in wrappers.values():
            await one(model, asked)
    # CPU time of this process, in blocks of calls: on a shared machine, wall time
    # mostly measures the other jobs; the client's own CPU time is what a wrapper adds.
    block = 10
    cpu: dict[str, list[float]] = {name: [] for name in ("direct", *wrappers)}
    wall: dict[str, list[float]] = {name: [] for name in ("direct", *wrappers)}
    for _ in range(max(calls // block, 1)):
        for name, (model, asked) in (("direct", (direct, request)), *wrappers.items()):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            for _ in range(block):
                await one(model, asked)
            cpu[name].append((time.process_time() - start_cpu) / block)
            wall[name].append((time.perf_counter() - start_wall) / block)
    base = statistics.median(cpu["direct"])
    rows = []
    for name in ("direct", *wrappers):
        used = statistics.median(cpu[name])
        extra = "0" if name == "direct" else f"{(used - base) * 1e6:+.0f}"
        rows.append(
            f"| {name} | {statistics.median(wall[name]) * 1e6:.0f} | {used * 1e6:.0f} | {extra} |"
        )
    own = statistics.median(cpu["Deduplicated over a Cached hit"]) - statistics.median(
        cpu["Cached, hit (temperature 0)"]
    )
    rows.append(f"| `Deduplicated` alone (the two rows above) | | {own * 1e6:.1f} | |")
    start = time.perf_counter()
    for _ in range(10_000):
        request_key(request)
    key_us = (time.perf_counter() - start) / 10_000 * 1e6
    rows.append(f"| `request_key` alone | | {key_us:.1f} | |")
    await direct.aclose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiters", type=int, default=100, help="identical requests per burst")
    parser.add_argument("--rounds", type=int, default=15, help="bursts per figure")
    parser.add_argument("--calls", type=int, default=300, help="single calls per overhead figure")
    parser.add_argument("--chunks", type=int, default=20, help="text deltas per answer")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {args.chunks}-delta streamed answers\n")
    with bench_server() as base_url:
        rows = asyncio.run(burst_rows(base_url, args.waiters, args.rounds, args.chunks))
        title = f"{args.waiters} identical concurrent requests"
        print(f"| {title} | requests | upstream calls | per request (µs) |")
        print("|---|---:|---:|---:|")
        print("\n".join(rows))
        rows = asyncio.run(overhead_rows(base_url, args.calls, args.chunks))
    print("\n| one request at a time | wall per call (µs) | CPU per call (µs) | overhead (µs) |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
