"""The gateway's overhead and throughput, beside the LiteLLM proxy, on one fake upstream.

    uv run --all-extras --group bench python -m benchmarks.bench_gateway [--quick]
        [--chunks 20] [--count 2000] [--seconds 5] [--connections 32] [--workers 1 2]
        [--rounds 3] [--only serve uvicorn relay granian litellm]
        [--litellm PATH | --no-litellm]

One fake upstream (``benchmarks/server.py``, its own process, pre-built bodies: a JSON
completion or a stream of ``--chunks`` deltas) answers every target; each target is a
server in its own process (:mod:`benchmarks.gateway_targets`): the gateway as
``fluent-ai serve`` with 1 and 2 workers, the same app under bare uvicorn and bare
granian (the ASGI server choice), a bare relay on the gateway's server and HTTP client
(the floor the gateway's own work is measured against), and the LiteLLM proxy, each
with as many workers, so each requests/s ratio is like for like. The client is raw
HTTP/1.1 over kept-alive connections (:mod:`benchmarks.load`); it and the upstream run
on uvloop, to take as little of the machine as they can.

Every target is started first (the idle ones cost next to nothing), then all are
measured in ``--rounds`` rounds, in an order rotated from round to round, and each
figure is the median over rounds, so a burst of load from elsewhere on the machine
falls on all of them alike. For each target and for non-streamed and streamed
requests:

* **p50 / p99**: ``--count`` requests one after another on one connection (time to
  the last byte); *overhead* is the target's percentile minus the upstream's own,
  measured directly just before the target in the same round;
* **rps**: ``--connections`` connections sending as fast as they are answered for
  ``--seconds``;
* **RSS**: the target's processes (workers included) after start-up and after its
  load runs.

The machine is two shared cores: the client, the upstream and the target compete for
them, so the rps figures are of the whole loop, and every figure moves with the load
that others put on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.gateway_targets import BEARER, litellm_command, rss, started, targets
from benchmarks.load import Run, latencies, post, saturate
from benchmarks.loop import run
from benchmarks.run import bench_server

PATH = "/v1/chat/completions"


@dataclass
class Figures:
    """One target's figures, a value per round for each (median taken when printed)."""

    name: str
    workers: int
    p50: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    p99: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    over50: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    over99: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    rps: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    failed: int = 0
    rss_before: int = 0
    rss_after: int = 0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(run: Run, q: float) -> float:
    if not run.seconds:
        return float("nan")
    ordered = sorted(run.seconds)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def direct_request(chunks: int, stream: bool) -> bytes:
    body: dict[str, object] = {"model": f"bench-{chunks}", "messages": [{"role": "user"}]}
    if stream:
        body["stream"] = True
    return post(PATH, body)


async def block(
    figures: Figures,
    port: int,
    requests: dict[bool, bytes],
    direct: dict[bool, Run],
    args: argparse.Namespace,
    count: int,
) -> None:
    """One round of one target: the sequential latencies, then the saturated run."""
    for stream in (False, True):
        served = await latencies(port, requests[stream], count)
        loaded = await saturate(port, requests[stream], args.connections, args.seconds)
        p50, p99 = percentile(served, 0.5), percentile(served, 0.99)
        figures.p50[stream].append(p50)
        figures.p99[stream].append(p99)
        figures.over50[stream].append(p50 - percentile(direct[stream], 0.5))
        figures.over99[stream].append(p99 - percentile(direct[stream], 0.99))
        figures.rps[stream].append(loaded.rps)
        figures.failed += served.failed + loaded.failed


def table(rows: list[Figures]) -> str:
    ms = 1000.0
    head = (
        f"{'target':<22}{'w':>2} | {'p50 ms':>7}{'p99':>7}{'+p50':>7}{'+p99':>7}{'rps':>7} |"
        f" {'p50 ms':>7}{'p99':>7}{'+p50':>7}{'+p99':>7}{'rps':>7} | {'RSS MB':>13}{'fail':>5}"
    )
    lines = [
        f"{'':<24} | {'non-streamed':^35} | {'streamed':^35} |",
        head,
        "-" * len(head),
    ]
    for f in rows:
        cells = []
        for stream in (False, True):
            p50, p99 = median(f.p50[stream]) * ms, median(f.p99[stream]) * ms
            o50, o99 = median(f.over50[stream]) * ms, median(f.over99[stream]) * ms
            cells.append(f"{p50:7.2f}{p99:7.2f}{o50:7.2f}{o99:7.2f}{median(f.rps[stream]):7.0f}")
        memory = f"{f.rss_before / 2**20:6.0f}→{f.rss_after / 2**20:<6.0f}" if f.rss_before else ""
        workers = str(f.workers) if f.workers else ""
        lines.append(
            f"{f.name:<22}{workers:>2} | {cells[0]} | {cells[1]} | {memory:>13}{f.failed:>5}"
        )
    return "\n".join(lines)


def spread(rows: list[Figures]) -> list[str]:
    """Each target's +p50 of a whole answer in every round: how far one round's figure
    is from another's on this machine (the table shows their median)."""
    return [
        f"{f.name} {f.workers}w +p50 by round (ms): "
        + " ".join(f"{value * 1000:.2f}" for value in f.over50[False])
        for f in rows
        if f.name not in ("litellm proxy", "direct to upstream") and len(f.over50[False]) > 1
    ]


def ratios(rows: list[Figures]) -> list[str]:
    """Each target's requests/s over the LiteLLM proxy's with as many workers."""
    proxies = {f.workers: f for f in rows if f.name == "litellm proxy"}
    out = []
    for f in rows:
        litellm = proxies.get(f.workers)
        if litellm is None or f.name in ("litellm proxy", "direct to upstream"):
            continue
        parts = [
            f"{median(f.rps[s]) / median(litellm.rps[s]):.0f}× "
            f"({'streamed' if s else 'non-streamed'})"
            for s in (False, True)
            if median(litellm.rps[s])
        ]
        out.append(f"{f.name} {f.workers}w vs litellm proxy {f.workers}w rps: {', '.join(parts)}")
    return out


async def run_all(args: argparse.Namespace, upstream_url: str, folder: Path) -> list[Figures]:
    """Every target started at once, then measured in rounds, each round in a rotated
    order with the upstream's own figures first, so load from elsewhere on the machine
    falls on all of them alike; each figure is the median over rounds."""
    upstream = int(upstream_url.rsplit(":", 1)[1])
    litellm = None if args.no_litellm else litellm_command(args.litellm)
    if litellm is None and not args.no_litellm:
        print("litellm proxy not found (uv tool install 'litellm[proxy]'): left out")
    direct_requests = {s: direct_request(args.chunks, s) for s in (False, True)}
    direct = Figures("direct to upstream", 0)
    rows: list[tuple[Figures, int, int, dict[bool, bytes], int]] = []
    count = max(10, args.count // args.rounds)
    with ExitStack() as stack:
        for target in targets(folder, upstream_url, args.chunks, args.workers, litellm):
            if not any(word in target.name for word in args.only):
                continue
            print(f"starting {target.name} ({target.workers} worker(s))...", file=sys.stderr)
            try:
                port, pid = stack.enter_context(started(target))
            except RuntimeError as exc:
                print(f"left out: {exc}", file=sys.stderr)
                continue
            figures = Figures(target.name, target.workers, rss_before=rss(pid))
            requests = {s: post(PATH, target.body(s), key=BEARER) for s in (False, True)}
            # The LiteLLM proxy takes ~60 ms a call: fewer sequential calls keep the run short.
            calls = count if target.name != "litellm proxy" else max(10, count // 20)
            rows.append((figures, port, pid, requests, calls))
        for round_ in range(args.rounds):
            print(f"round {round_ + 1} of {args.rounds}", file=sys.stderr)
            shift = round_ % max(1, len(rows))
            for figures, port, _pid, requests, calls in rows[shift:] + rows[:shift]:
                seen = {
                    s: await latencies(upstream, direct_requests[s], count) for s in (False, True)
                }
                await block(figures, port, requests, seen, args, calls)
            for s in (False, True):
                run = await latencies(upstream, direct_requests[s], count)
                loaded = await saturate(
                    upstream, direct_requests[s], args.connections, args.seconds
                )
                direct.p50[s].append(percentile(run, 0.5))
                direct.p99[s].append(percentile(run, 0.99))
                direct.over50[s].append(0.0)
                direct.over99[s].append(0.0)
                direct.rps[s].append(loaded.rps)
        for figures, _port, pid, _requests, _calls in rows:
            figures.rss_after = rss(pid)
    return [direct, *(row[0] for row in rows)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: tiny sizes")
    parser.add_argument("--chunks", type=int, default=20, help="deltas in each answer")
    parser.add_argument("--count", type=int, default=2000, help="sequential requests")
    parser.add_argument("--seconds", type=float, default=5.0, help="each saturated run")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3, help="rounds over every target")
    parser.add_argument(
        "--only",
        nargs="+",
        default=["serve", "uvicorn", "relay", "granian", "litellm"],
        help="targets whose name holds one of these words (uvicorn granian: the ASGI A/B; "
        "relay: the floor, a bare relay on the same server and client)",
    )
    parser.add_argument("--litellm", help="the litellm executable (with litellm[proxy])")
    parser.add_argument("--no-litellm", action="store_true", help="leave the proxy out")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.seconds, args.connections, args.rounds = 50, 0.5, 4, 1
        args.workers, args.no_litellm = [1], args.litellm is None or args.no_litellm

    async def go(url: str) -> list[Figures]:
        with tempfile.TemporaryDirectory() as folder:
            return await run_all(args, url, Path(folder))

    with bench_server() as url:
        rows = run(go(url))
    print(
        f"{args.chunks} deltas per answer; medians over {args.rounds} round(s) of: p50/p99 of "
        f"{max(10, args.count // args.rounds)} sequential requests, rps with "
        f"{args.connections} connections for {args.seconds:g} s; +p50/+p99: minus "
        "direct-to-upstream in the same round; RSS of the target after start → at the end"
    )
    print(table(rows))
    for line in [*spread(rows), *ratios(rows)]:
        print(line)
    if any(f.failed for f in rows):
        print("some requests failed: see the fail column", file=sys.stderr)


if __name__ == "__main__":
    main()
