"""A real ``redis-server`` on loopback for the duration of a test, or a clear skip.

The server is the Debian package's binary (``apt-get install redis-server``), started
on a free 127.0.0.1 port with nothing saved to disk; readiness is read from its own log
line, not guessed with a sleep. Without the binary the test is skipped and says how to
get it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

READY = "Ready to accept connections"


def free_port() -> int:
    """A loopback port nothing listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_server() -> Iterator[str]:
    """Yield ``redis://127.0.0.1:PORT/0`` of a fresh server; skip if there is no binary."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed: apt-get install redis-server to run this")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        log = []
        for line in proc.stdout:
            log.append(line)
            if READY in line:
                break
        else:
            raise RuntimeError("redis-server stopped before it was ready:\n" + "".join(log))
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
