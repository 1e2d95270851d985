"""``fluent-ai serve``: the engine's YAML file served by uvicorn, one worker or several."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import httpx
import psutil

from fluent_ai.cli import main
from fluent_ai.cli.workers import spreads_connections
from fluent_ai.server.config import (
    DEFAULT_NAME,
    YOUNG_COLLECTED_AFTER,
    served_models,
    worker_app,
)
from fluent_ai.types import ConfigurationError
from tests.support.faults import Ok, upstream, wait_until

KEY_ENV = "SERVE_TEST_UPSTREAM_KEY"


def config_file(tmp_path: Path, base_url: str) -> Path:
    path = tmp_path / "gateway.yaml"
    path.write_text(
        "routers:\n"
        "  fast:\n"
        "    deployments:\n"
        f"      - {{model: openai/gpt-4o, base_url: '{base_url}', api_key_env: {KEY_ENV}}}\n"
        "  also-fast:\n"
        "    deployments:\n"
        f"      - {{model: openai/gpt-4o-mini, base_url: '{base_url}', api_key_env: {KEY_ENV}}}\n"
    )
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(path: Path, port: int, *options: str) -> subprocess.Popen[str]:
    """``fluent-ai serve`` in a process of its own, once it answers /health."""
    command = [sys.executable, "-c", "from fluent_ai.cli import main; main()"]
    args = ["serve", str(path), "--port", str(port), "--log-level", "warning", *options]
    env = {**os.environ, KEY_ENV: "sk-upstream"}
    server = subprocess.Popen([*command, *args], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return server
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.1)


def answered_calls(metrics: str) -> float:
    """The requests answered 200, summed over the ``/metrics`` text's series."""
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("fluent_ai_gateway_requests_total{") and 'status="200"' in line
    )


def test_two_workers_serve_every_router_in_the_file(tmp_path: Path) -> None:
    port = free_port()
    with upstream("gpt") as up:
        server = start(config_file(tmp_path, up.v1), port, "--workers", "2")
        try:
            url = f"http://127.0.0.1:{port}"
            names = [m["id"] for m in httpx.get(url + "/v1/models").json()["data"]]
            question = [{"role": "user", "content": "hi"}]
            replies = [
                httpx.post(url + "/v1/chat/completions", json={"model": m, "messages": question})
                for m in ("fast", "also-fast")
            ]
            answered = 0.0
            deadline = time.monotonic() + 10
            while answered < 4 and time.monotonic() < deadline:  # shared within a second
                time.sleep(0.2)
                answered = answered_calls(httpx.get(url + "/metrics").text)
            httpx.get(url + "/ready")  # its line is still held when the workers stop
        finally:
            server.send_signal(signal.SIGINT)
            _, stderr = server.communicate(timeout=30)
    assert sorted(names) == ["also-fast", "fast"]
    assert [r.status_code for r in replies] == [200, 200]
    assert [s.body["model"] for s in up.served] == ["gpt-4o", "gpt-4o-mini"]
    assert "serving also-fast, fast at" in stderr
    assert answered >= 4  # every worker's count, whichever answered /metrics
    access = [json.loads(line) for line in stderr.splitlines() if line.startswith('{"time"')]
    chats = [a for a in access if a["path"] == "/v1/chat/completions"]
    assert sorted(a["model"] for a in chats) == ["also-fast", "fast"]
    assert [a["status"] for a in access if a["path"] == "/ready"] == [200]


@pytest.mark.skipif(
    not spreads_connections(), reason="only Linux spreads connections over sockets sharing a port"
)
def test_kept_alive_connections_spread_over_the_workers(tmp_path: Path) -> None:
    """Under one shared socket, a pool's connections opened together mostly all went to
    the worker that woke first (the other idled); each worker now has a socket of its own,
    and one that dies is replaced on the same socket."""
    port = free_port()
    with upstream("gpt") as up:
        server = start(config_file(tmp_path, up.v1), port, "--workers", "2")
        try:
            # A worker's socket takes connections once the worker listens on it.
            wait_until(lambda: len(connections(server, port, psutil.CONN_LISTEN)) == 2, 60)
            held = asyncio.run(_pool_opened_at_once(port, 16, server))
            os.kill(min(held), signal.SIGKILL)
            wait_until(lambda: min(held) not in connections(server, port, psutil.CONN_LISTEN), 10)
            wait_until(lambda: len(connections(server, port, psutil.CONN_LISTEN)) == 2, 60)
            after = asyncio.run(_pool_opened_at_once(port, 16, server))
        finally:
            server.send_signal(signal.SIGINT)
            server.communicate(timeout=30)
    for seen in (held, after):  # all 16 on one worker: one chance in 2**15
        assert len(seen) == 2, seen
        assert sum(seen.values()) == 16
    assert min(held) not in after


async def _pool_opened_at_once(
    port: int, size: int, server: subprocess.Popen[str]
) -> dict[int, int]:
    """Open ``size`` connections together, as a client's pool does, and once each has
    been answered (so its worker took it), say which worker holds how many."""
    pool = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port) for _ in range(size)))
    try:
        for reader, writer in pool:
            writer.write(b"GET /health HTTP/1.1\r\nhost: gateway\r\n\r\n")
            assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
        return connections(server, port, psutil.CONN_ESTABLISHED)
    finally:
        for _, writer in pool:
            writer.close()


def connections(server: subprocess.Popen[str], port: int, status: str) -> dict[int, int]:
    """How many sockets on ``port`` in ``status`` each worker of ``server`` holds, by pid.

    A worker can die, or be reaped, between being listed and being asked for its
    sockets (the test kills one); it then holds none."""
    held: dict[int, int] = {}
    for worker in psutil.Process(server.pid).children(recursive=True):
        try:
            sockets = worker.net_connections("tcp")
        except psutil.NoSuchProcess:  # a zombie too: ZombieProcess is a NoSuchProcess
            continue
        n = sum(c.status == status and c.laddr.port == port for c in sockets)
        if n:
            held[worker.pid] = n
    return held


def test_a_bad_config_is_one_line_before_anything_is_served(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", str(tmp_path / "missing.yaml")])
    assert stopped.value.code != 0
    assert "cannot read gateway config" in capsys.readouterr().err


async def test_a_file_with_one_router_is_served_as_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("deployments: [openai/gpt-4o]\n")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    models = served_models(path)
    assert list(models) == [DEFAULT_NAME]
    await models[DEFAULT_NAME].aclose()


@pytest.mark.parametrize("given", [None, "{not json", '{"max_body": 5}'])
def test_a_worker_needs_its_options_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, given: str | None
) -> None:
    if given is None:
        monkeypatch.delenv("FLUENT_AI_SERVE", raising=False)
    else:
        monkeypatch.setenv("FLUENT_AI_SERVE", given)
    with pytest.raises(ConfigurationError, match="'config' naming its file"):
        worker_app()


def test_a_worker_sets_the_collector_for_a_long_lived_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.testclient import TestClient

    path = tmp_path / "one.yaml"
    path.write_text("deployments: [openai/gpt-4o]\n")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("FLUENT_AI_SERVE", json.dumps({"config": str(path)}))
    gc.unfreeze()
    thresholds = gc.get_threshold()
    try:
        app = worker_app()
        assert gc.get_freeze_count() > 10_000  # the modules and the routers, at least
        assert gc.get_threshold() == (YOUNG_COLLECTED_AFTER, *thresholds[1:])
        with TestClient(app) as client:  # the lifespan closes the models it built
            assert client.get("/health").status_code == 200
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_a_stop_lets_the_stream_in_flight_finish(tmp_path: Path) -> None:
    port = free_port()
    body = {"model": "fast", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    with upstream("gpt", default=Ok(delay=1.0)) as up:
        server = start(config_file(tmp_path, up.v1), port, "--drain", "20")
        with ThreadPoolExecutor(1) as pool:
            url = f"http://127.0.0.1:{port}/v1/chat/completions"
            reply = pool.submit(httpx.post, url, json=body, timeout=30)
            wait_until(lambda: len(up.served) == 1)
            server.send_signal(signal.SIGINT)  # while the answer is still on its way
            answered = reply.result()
        server.communicate(timeout=30)
    assert answered.status_code == 200
    assert answered.text.rstrip().endswith("data: [DONE]")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sighup_reloads_the_file_without_dropping_a_call(tmp_path: Path, workers: str) -> None:
    port = free_port()
    body = {"model": "fast", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    url = f"http://127.0.0.1:{port}"
    with upstream("gpt", default=Ok(delay=1.5)) as up:
        path = config_file(tmp_path, up.v1)
        server = start(path, port, "--workers", workers)
        try:
            with ThreadPoolExecutor(1) as pool:
                slow = pool.submit(httpx.post, url + "/v1/chat/completions", json=body, timeout=30)
                wait_until(lambda: len(up.served) == 1)
                path.write_text(path.read_text().replace("also-fast", "renamed"))
                server.send_signal(signal.SIGHUP)  # while the first call is in flight
                answered = slow.result()
            deadline = time.monotonic() + 60
            names: list[str] = []
            while "renamed" not in names and time.monotonic() < deadline:
                names = [m["id"] for m in httpx.get(url + "/v1/models").json()["data"]]
                time.sleep(0.1)
        finally:
            server.send_signal(signal.SIGINT)
            server.communicate(timeout=30)
    assert answered.status_code == 200
    assert answered.text.rstrip().endswith("data: [DONE]")
    assert sorted(names) == ["fast", "renamed"]


def test_a_file_broken_since_start_leaves_the_old_workers_serving(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with upstream("gpt") as up:
        path = config_file(tmp_path, up.v1)
        server = start(path, port)
        assert server.stderr is not None
        try:
            path.write_text("routers: {fast: {deployments: []}}\n")
            server.send_signal(signal.SIGHUP)
            with ThreadPoolExecutor(1) as pool:
                aborted = pool.submit(_line_with, server.stderr, "aborting the restart")
                assert "keeping worker" in aborted.result(timeout=60)
            names = [m["id"] for m in httpx.get(url + "/v1/models").json()["data"]]
        finally:
            server.send_signal(signal.SIGINT)
            server.communicate(timeout=30)
    assert sorted(names) == ["also-fast", "fast"]


def _line_with(stream: IO[str], words: str) -> str:
    for line in stream:
        if words in line:
            return line
    return ""
