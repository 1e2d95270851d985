"""The servers :mod:`benchmarks.bench_gateway` measures, each started as a subprocess.

Each target is a command line and the request bodies it takes; :func:`started` runs
it in a session of its own (so its workers go with it), waits for its health
endpoint and stops it at the end. The gateway is run three ways over the same app
(``fluent_ai.server.config:worker_app``, handed its file through ``FLUENT_AI_SERVE``):
as ``fluent-ai serve`` (uvicorn with uvloop and its httptools protocol sending a
response's head with its body, and its JSON access log),
and as bare uvicorn and bare granian with no access log, so that those two rows
differ only in the ASGI server. Beside them runs the floor: a bare relay on the same
uvicorn protocol and HTTP client, without the gateway's own work
(:mod:`benchmarks.relay_app`). The LiteLLM proxy is its own process and needs its
own environment (``litellm[proxy]`` pins older rich and websockets than fluent-ai
uses, so it is not in the project's lock): ``uv tool install 'litellm[proxy]'`` or
``--litellm PATH``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

import psutil

from benchmarks.relay_app import UPSTREAM

APP = "fluent_ai.server.config:worker_app"
PROTOCOL = "fluent_ai.server.protocol:HttpProtocol"
"""The HTTP protocol ``fluent-ai serve`` runs uvicorn with."""
KEY_ENV = "BENCH_GATEWAY_KEY"
BEARER = "sk-bench-5f0c2a9e7d4b4e1c8a3f6b2d9e0c7a41"
"""The key every target is called with (the LiteLLM proxy refuses to start without one)."""
MESSAGES = [{"role": "user", "content": "hi"}]


@dataclass(frozen=True)
class Target:
    name: str
    workers: int
    command: list[str]
    model: str  # what a caller puts in "model"
    health: str = "/health"
    env: dict[str, str] | None = None
    start_timeout: float = 60.0

    def body(self, stream: bool) -> dict[str, object]:
        body: dict[str, object] = {"model": self.model, "messages": MESSAGES}
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        return body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def gateway_file(folder: Path, upstream: str, chunks: int, pace: int = 0) -> Path:
    """The engine's YAML: one router, ``bench``, over the fake upstream (streams paced
    ``pace`` µs an event when given: ``benchmarks/server.py``)."""
    path = folder / "gateway.yaml"
    model = f"bench-{chunks}@{pace}" if pace else f"bench-{chunks}"
    path.write_text(
        "routers:\n  bench:\n    deployments:\n"
        f"      - model: openai/{model}\n"
        f"        base_url: {upstream}/v1\n"
        f"        api_key_env: {KEY_ENV}\n",
        encoding="utf-8",
    )
    return path


def litellm_file(folder: Path, upstream: str, chunks: int) -> Path:
    path = folder / "litellm.yaml"
    path.write_text(
        "model_list:\n  - model_name: bench\n    litellm_params:\n"
        f"      model: openai/bench-{chunks}\n      api_base: {upstream}/v1\n"
        "      api_key: bench\n"
        f"general_settings:\n  master_key: {BEARER}\n",
        encoding="utf-8",
    )
    return path


def litellm_command(given: str | None) -> str | None:
    """The ``litellm`` executable with its proxy: given, or on PATH outside this
    environment (``uv tool install 'litellm[proxy]'`` puts it there; the bench group's
    own ``litellm`` lacks the proxy's dependencies), or beside this Python."""
    if given:
        return given
    here = Path(sys.executable).parent
    elsewhere = os.pathsep.join(
        part for part in os.environ.get("PATH", "").split(os.pathsep) if Path(part) != here
    )
    found = shutil.which("litellm", path=elsewhere)
    if found:
        return found
    beside = here / "litellm"
    return str(beside) if beside.exists() else None


def uvicorn_command(app: list[str], workers: int, http: str) -> list[str]:
    """Bare uvicorn serving ``app`` on uvloop with the ``http`` protocol, no access log."""
    return [
        *(sys.executable, "-m", "uvicorn", *app, "--port", "{port}", "--workers", str(workers)),
        *("--loop", "uvloop", "--http", http, "--no-access-log", "--log-level", "warning"),
    ]


def targets(
    folder: Path, upstream: str, chunks: int, workers: list[int], litellm: str | None
) -> list[Target]:
    config = gateway_file(folder, upstream, chunks)
    options = json.dumps({"config": str(config)})
    bin_dir = Path(sys.executable).parent
    found: list[Target] = []
    for n in workers:
        port = "{port}"
        found.append(
            Target(
                "fluent-ai serve",
                n,
                [
                    str(bin_dir / "fluent-ai"),
                    "serve",
                    str(config),
                    "--port",
                    port,
                    "--workers",
                    str(n),
                    "--log-level",
                    "warning",
                ],
                "bench",
            )
        )
    for n in workers:
        command = uvicorn_command(["--factory", APP], n, "httptools")
        found.append(
            Target("uvicorn (no log)", n, command, "bench", env={"FLUENT_AI_SERVE": options})
        )
    for n in workers:
        command = uvicorn_command(["benchmarks.relay_app:app"], n, PROTOCOL)
        found.append(Target("relay (floor)", n, command, "bench", env={UPSTREAM: upstream}))
    if shutil.which("granian", path=str(bin_dir)):
        for n in workers:
            found.append(
                Target(
                    "granian (no log)",
                    n,
                    [
                        str(bin_dir / "granian"),
                        "--interface",
                        "asgi",
                        "--factory",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "{port}",
                        "--workers",
                        str(n),
                        "--loop",
                        "uvloop",
                        "--http",
                        "1",
                        "--no-ws",
                        "--log-level",
                        "warning",
                        APP,
                    ],
                    "bench",
                    env={"FLUENT_AI_SERVE": options},
                )
            )
    if litellm:
        for n in workers:
            found.append(
                Target(
                    "litellm proxy",
                    n,
                    [
                        litellm,
                        "--config",
                        str(litellm_file(folder, upstream, chunks)),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "{port}",
                        "--num_workers",
                        str(n),
                        "--telemetry",
                        "False",
                    ],
                    "bench",
                    health="/health/liveliness",
                    env={"LITELLM_LOG": "ERROR"},
                    start_timeout=240.0,
                )
            )
    return found


def healthy(proc: subprocess.Popen[bytes], port: int, path: str, timeout: float) -> None:
    """Wait until ``GET path`` answers 200 (the LiteLLM proxy takes long to start)."""
    end = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"it exited with status {proc.returncode}")
        conn = HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        if time.monotonic() > end:
            raise RuntimeError(f"nothing answered 200 at 127.0.0.1:{port}{path} in {timeout} s")
        time.sleep(0.2)


def rss(pid: int) -> int:
    """Resident bytes of a process and all its children (the workers)."""
    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0


@contextmanager
def started(target: Target) -> Iterator[tuple[int, int]]:
    """The target running: its port and its process id (stopped at the end)."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in target.command]
    env = {**os.environ, KEY_ENV: "bench", "PYTHONDONTWRITEBYTECODE": "1", **(target.env or {})}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,
        )
        try:
            try:
                healthy(proc, port, target.health, target.start_timeout)
            except RuntimeError as exc:
                log.seek(0)
                tail = log.read()[-2000:].decode(errors="replace")
                raise RuntimeError(f"{target.name} did not start ({exc}):\n{tail}") from None
            yield port, proc.pid
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except ProcessLookupError:  # gone already (it failed to start)
                proc.wait()
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
