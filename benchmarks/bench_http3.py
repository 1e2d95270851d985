"""HTTP/3 against HTTP/2 and HTTP/1.1 through :class:`~fluent_ai.http.HttpClient`, on loopback.

Run: ``uv run --all-extras python -m benchmarks.bench_http3`` (needs the ``http3`` extra
and the dev group's hypercorn and trustme).

One hypercorn server, in its own process, serves the same small ASGI app over TLS on
TCP (HTTP/1.1 and HTTP/2 by ALPN) and over QUIC (HTTP/3) on one port
(``tests/support/h3_server.py``). Each client is the one a user gets: ``HttpClient()``
(aiohttp, HTTP/1.1), ``HttpClient(http2=True)`` (httpx, HTTP/2) and
``HttpClient(http3=True)`` once the server's ``Alt-Svc`` offer moved it to HTTP/3
(aioquic). Two figures per protocol, each the best of ``--rounds``, clients in turns:

* latency: the mean time of one GET, sent one after another;
* throughput: requests per second with ``--concurrency`` requests in flight.

Loopback has no loss and no round-trip time, so this measures what each stack costs
in CPU (client and server both: aioquic is pure Python above its C crypto), not what
QUIC gains on a real network (0-RTT resumption, no head-of-line blocking).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fluent_ai.http import HttpClient


def serve(directory: Path) -> None:
    """The server process: print the port and the CA file, serve until stdin closes."""
    from tests.support.h3_server import App, h3_server

    with h3_server(App(), directory) as server:
        print(server.port, server.ca_file, flush=True)
        sys.stdin.read()


async def latency(client: HttpClient, url: str, count: int) -> float:
    """Mean milliseconds per request, one at a time."""
    start = time.perf_counter()
    for _ in range(count):
        (await client.request("GET", url)).raise_for_status()
    return (time.perf_counter() - start) / count * 1e3


async def throughput(client: HttpClient, url: str, count: int, concurrency: int) -> float:
    """Requests per second with ``concurrency`` requests in flight."""
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            (await client.request("GET", url)).raise_for_status()

    start = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    return count / (time.perf_counter() - start)


async def measure(url: str, args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    clients = {
        "HTTP/1.1": HttpClient(),
        "HTTP/2": HttpClient(http2=True),
        "HTTP/3": HttpClient(http3=True, http2=True),
    }
    best: dict[str, tuple[float, float]] = {}
    try:
        for name, client in clients.items():  # warm up: connect, and learn Alt-Svc
            for _ in range(3):
                response = await client.request("GET", url)
            assert response.http_version == name, (name, response.http_version)
        for _ in range(args.rounds):
            for name, client in clients.items():
                ms = await latency(client, url, args.requests)
                rps = await throughput(client, url, args.requests, args.concurrency)
                old = best.get(name, (float("inf"), 0.0))
                best[name] = (min(old[0], ms), max(old[1], rps))
    finally:
        for client in clients.values():
            await client.aclose()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--rounds", type=int, default=3, help="rounds to take the best of")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    with tempfile.TemporaryDirectory() as directory:
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_http3", "--serve", directory],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # hypercorn's TLS shutdown noise
            text=True,
        )
        try:
            assert server.stdout is not None
            started = server.stdout.readline().split()
            if len(started) != 2:
                raise SystemExit("the server did not start: is the http3 extra installed?")
            port, ca_file = started
            os.environ["SSL_CERT_FILE"] = ca_file
            best = asyncio.run(measure(f"https://127.0.0.1:{port}/hello", args))
        finally:
            server.communicate("")
    print(f"| protocol | latency, ms/request | requests/s ({args.concurrency} in flight) |")
    print("|---|---:|---:|")
    for name, (ms, rps) in best.items():
        print(f"| {name} | {ms:.2f} | {rps:,.0f} |")


if __name__ == "__main__":
    main()
