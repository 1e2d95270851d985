"""Where one gateway worker spends its CPU per request, outside the wall clock's noise.

    uv run --all-extras --group bench python -m benchmarks.profile_gateway
        [--whole 3000] [--streams 1000] [--chunks 20] [--pace 0] [--turns 0]
        [--connections 1] [--top 40] [--repeat 3] [--no-profile] [--dump F]

The worker (the app ``fluent-ai serve`` runs, under uvicorn with uvloop and its HTTP
protocol, with its logging, access log and shared metrics) runs in this process
over the fake upstream (``benchmarks/server.py``); a client in another process
(:mod:`benchmarks.load`) sends ``--whole`` whole answers then ``--streams`` streams,
one at a time on each of ``--connections`` connections (one: the unloaded cost; more:
the worker under load, a turn of its loop serving several), after a warm-up. Each
asks ``hi``, after ``--turns`` earlier turns of about a kilobyte each: a gateway's
work grows with the conversation it translates.
The upstream sends a stream's events all at once, or ``--pace`` µs apart, each in a
write of its own, as a model does (the gateway then reads and forwards them one by one).
It prints the worker's CPU seconds per request (``time.process_time``: the worker's
own work, whatever else the shared machine runs) for each kind, then, unless
``--no-profile``, a cProfile of the same load (which slows the calls it counts, so the
CPU figures come from a run without it) with the time by area and the top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

import uvicorn

from benchmarks.gateway_targets import BEARER, KEY_ENV, PROTOCOL, gateway_file
from benchmarks.run import bench_server

AREAS = (  # first match wins: (label, substring of the file path)
    ("fluent_ai.http (upstream call)", "fluent_ai/http/"),
    ("fluent_ai.providers (decode/encode)", "fluent_ai/providers/"),
    ("fluent_ai.engine (router)", "fluent_ai/engine/"),
    ("uvicorn (socket writes included)", "fluent_ai/server/protocol.py"),
    ("fluent_ai.server", "fluent_ai/server/"),
    ("fluent_ai other", "fluent_ai/"),
    ("uvicorn (socket writes included)", "uvicorn/"),
    ("starlette", "starlette/"),
    ("aiohttp", "aiohttp/"),
    ("httpx/httpcore", "httpx/"),
    ("httpx/httpcore", "httpcore/"),
    ("prometheus_client", "prometheus_client/"),
    ("anyio", "anyio/"),
    ("pydantic", "pydantic"),
    ("logging", "logging/"),
    ("asyncio/uvloop", "asyncio/"),
)


CLIENT = """
import asyncio, sys
from benchmarks.load import latencies
from benchmarks.loop import run
port, count, conns = (int(arg) for arg in sys.argv[1:4])
request = sys.stdin.buffer.read()
async def main():
    runs = await asyncio.gather(
        *(latencies(port, request, count // conns, warmup=0) for _ in range(conns))
    )
    return sum(run.failed for run in runs)
print(run(main()))
"""


TURN = "Some words about the weather, à la française, 東京 and Zürich. " * 16
"""About a kilobyte of text that is not ASCII, as most of the world's is."""


def conversation(turns: int) -> list[dict[str, str]]:
    """``turns`` earlier turns (user and assistant in turn), then the question."""
    earlier = [{"role": ("user", "assistant")[i % 2], "content": TURN} for i in range(turns)]
    return [*earlier, {"role": "user", "content": "hi"}]


def area(filename: str) -> str:
    for label, part in AREAS:
        if part in filename:
            return label
    return "builtins/C" if filename.startswith("~") or filename == "" else "other python"


def by_area(profile: cProfile.Profile) -> dict[str, float]:
    """Own (tottime) seconds by area: each function's time counted once, where it runs."""
    stats = pstats.Stats(profile)
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tt, _ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        label = area(filename)
        if label == "builtins/C":  # a C function: charge it to whoever called it
            weights = {area(caller[0]): value[2] for caller, value in callers.items()}
            spread = sum(weights.values()) or 1.0
            for caller_area, weight in weights.items():
                totals[caller_area] = totals.get(caller_area, 0.0) + tt * weight / spread
            if not callers:
                totals[label] = totals.get(label, 0.0) + tt
            continue
        totals[label] = totals.get(label, 0.0) + tt
    return totals


async def client(port: int, request: bytes, count: int, connections: int = 1) -> None:
    """``count`` requests, one at a time on each of ``connections`` kept-alive ones."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CLIENT,
        str(port),
        str(count),
        str(connections),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate(request)
    if out.strip() != b"0":
        raise RuntimeError(f"the client saw failures: {out!r}")


async def measure(args: argparse.Namespace, upstream: str, folder: Path) -> None:
    from benchmarks.load import post
    from fluent_ai.cli.serve import _logging
    from fluent_ai.server import config as served

    os.environ.setdefault(KEY_ENV, "bench")
    # As fluent-ai serve runs its workers: metrics shared through a folder.
    shared = folder / "metrics"
    shared.mkdir()
    config_file = gateway_file(folder, upstream, args.chunks, args.pace)
    app = served.app_from_config(config_file, shared_metrics=shared)
    if hasattr(served, "tune_collector"):  # as a worker does (not in checkouts before it)
        served.tune_collector()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        loop="uvloop",
        # What fluent-ai serve runs (plain httptools in a checkout from before it).
        http=PROTOCOL if find_spec("fluent_ai.server.protocol") else "httptools",
        access_log=False,
        log_config=_logging("warning"),
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  # uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    body: dict[str, object] = {"model": "bench", "messages": conversation(args.turns)}
    streamed = {**body, "stream": True, "stream_options": {"include_usage": True}}
    runs = [
        (name, post("/v1/chat/completions", sent, key=BEARER), count)
        for name, sent, count in (("whole", body, args.whole), ("stream", streamed, args.streams))
        if count
    ]
    for _name, request, _count in runs:
        await client(port, request, 200)  # warm-up: pools, caches, imports
    for name, request, count in runs:
        seen = []
        for _ in range(args.repeat):
            cpu = time.process_time()
            await client(port, request, count, args.connections)
            seen.append((time.process_time() - cpu) / count * 1e6)
        print(
            f"{name}: {min(seen):7.1f} µs CPU per request (least of {args.repeat} runs of "
            f"{count}; median {statistics.median(seen):.1f})"
        )
    profiles: list[tuple[str, int, cProfile.Profile]] = []
    if not args.no_profile:
        for name, request, count in runs:
            profile = cProfile.Profile()
            profile.enable()
            await client(port, request, count, args.connections)
            profile.disable()
            profiles.append((name, count, profile))
    server.should_exit = True
    await task
    for name, count, profile in profiles:
        report(name, count, profile, args)


def report(name: str, count: int, profile: cProfile.Profile, args: argparse.Namespace) -> None:
    areas = sorted(by_area(profile).items(), key=lambda kv: -kv[1])
    total = sum(seconds for _label, seconds in areas)
    print(f"\n{name}: own time by area, µs per request (profiled, {count} requests)")
    for label, seconds in areas:
        print(f"  {label:<40}{seconds / count * 1e6:8.1f}")
    print(f"  {'total':<40}{total / count * 1e6:8.1f}")
    if args.dump:
        profile.dump_stats(f"{args.dump}.{name}")
    if args.top:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--whole", type=int, default=3000, help="whole answers")
    parser.add_argument("--streams", type=int, default=1000, help="streamed answers")
    parser.add_argument("--chunks", type=int, default=20, help="deltas in each answer")
    parser.add_argument(
        "--pace", type=int, default=0, help="µs between streamed events (0: all at once)"
    )
    parser.add_argument(
        "--turns", type=int, default=0, help="earlier turns of about 1 KB in each request"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=1,
        help="kept-alive connections sending at once (1: one request at a time; more: the "
        "worker under load, where a turn of its loop serves several)",
    )
    parser.add_argument("--top", type=int, default=40, help="functions listed")
    parser.add_argument("--repeat", type=int, default=3, help="runs timed (least shown)")
    parser.add_argument("--no-profile", action="store_true", help="CPU figures only")
    parser.add_argument("--dump", help="also write the profiles to DUMP.whole, DUMP.stream")
    args = parser.parse_args()

    async def go(url: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            await measure(args, url, Path(folder))

    import uvloop

    with bench_server() as url:
        uvloop.run(go(url))


if __name__ == "__main__":
    main()
