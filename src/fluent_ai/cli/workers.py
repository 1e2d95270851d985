"""The workers of ``fluent-ai serve``, each on a listening socket of its own.

Why: uvicorn's supervisor hands every worker the same listening socket, and whichever
worker calls ``accept`` first takes the connection. A client that keeps its
connections alive (an SDK's pool, a load balancer's upstream pool) opens a few at once
and keeps them, so one worker can end up holding all of them while the others idle:
measured here, two workers under 32 kept-alive connections split the load 100/0 in
one run of four and served 2,950 requests/s, against 4,200 when the split was even.

On Linux each worker gets its own socket instead, all bound to the same address with
``SO_REUSEPORT``, and the kernel spreads new connections over them by a hash of their
addresses. The sockets are made and held by the supervisor, so a worker that stops
(a reload, a crash) leaves its socket listening: the connections that arrive for it
wait in its queue for the worker that replaces it, and none is refused. Elsewhere
(``SO_REUSEPORT`` on macOS does not spread connections) every worker shares one
socket, as under uvicorn's supervisor.

The rest is uvicorn's :class:`~uvicorn.supervisors.Multiprocess`: signals, health
checks, SIGHUP's rolling restart (each replacement in service before the worker it
replaces stops), and stopping.
"""

from __future__ import annotations

import logging
import socket
import sys
from typing import Any

from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from fluent_ai.cli.errors import CLIError

logger = logging.getLogger("uvicorn.error")


def spreads_connections() -> bool:
    """Whether the kernel spreads connections over sockets sharing a port (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_sockets(config: Any) -> list[socket.socket]:
    """One socket per worker where the kernel spreads connections, else one shared
    (uvicorn's own). Port 0 gives the first a free port, and the others that port."""
    if config.workers == 1 or not spreads_connections():
        return [config.bind_socket()] * config.workers
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sockets: list[socket.socket] = []
    address = (config.host, config.port)
    try:
        for _ in range(config.workers):
            sockets.append(sock := _reusing(family))
            sock.bind(address)
            address = sock.getsockname()[:2]  # port 0: the one the first was given
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise CLIError(
            f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}",
            hint="pick another --port, or stop the program that holds this one",
        ) from exc
    logger.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", *address)
    return sockets


def _reusing(family: socket.AddressFamily) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.set_inheritable(True)
    return sock


class Workers(Multiprocess):
    """uvicorn's supervisor, with worker ``i`` (and whatever replaces it) on socket ``i``."""

    def _started(self, slot: int) -> Process:
        process = Process(self.config, [self.sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._started(slot) for slot in range(self.processes_num)]

    def restart_all(self) -> None:
        """Each worker replaced in turn, its replacement serving before it stops; a
        replacement that does not come up ends the restart with the rest untouched."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._started(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(
                        "the new worker [%s] was not ready in time; keeping worker [%s] "
                        "and aborting the restart",
                        new.pid,
                        old.pid,
                    )
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        """A worker that died or hangs is replaced on its socket; one that failed
        before it served (a broken app) stops the server instead of failing forever."""
        for slot, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error("worker [%s] failed to start; stopping", process.pid)
                self.should_exit.set()
                return
            logger.info("worker [%s] died; starting another on its socket", process.pid)
            self.processes[slot] = self._started(slot)

    def handle_ttin(self) -> None:
        logger.info("SIGTTIN ignored: the workers are fixed by --workers")

    def handle_ttou(self) -> None:
        logger.info("SIGTTOU ignored: the workers are fixed by --workers")
