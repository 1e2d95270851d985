"""The listening sockets ``fluent-ai serve`` gives its workers (the workers themselves
are tested end to end in tests/unit/server/test_serve.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import ClassVar

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import uvicorn

from fluent_ai.cli import workers
from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.workers import listening_sockets, spreads_connections


def config(workers: int, host: str = "127.0.0.1", port: int = 0) -> uvicorn.Config:
    """uvicorn's config, without the logging set-up it would apply to this whole process."""
    app = "fluent_ai.server.config:worker_app"
    return uvicorn.Config(app, host=host, port=port, workers=workers, log_config=None)


@pytest.mark.skipif(not spreads_connections(), reason="Linux only: SO_REUSEPORT spreads there")
def test_each_worker_gets_a_socket_of_its_own_on_one_port() -> None:
    sockets = listening_sockets(config(3))
    try:
        assert len({id(sock) for sock in sockets}) == 3
        assert len({sock.getsockname() for sock in sockets}) == 1  # port 0: the one picked
        assert all(sock.get_inheritable() for sock in sockets)
        for sock in sockets:
            sock.listen()
        with socket.create_connection(sockets[0].getsockname()):
            pass  # the port takes connections once they listen
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.skipif(not spreads_connections(), reason="Linux only: SO_REUSEPORT spreads there")
def test_ipv6_hosts_get_ipv6_sockets() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    try:
        sockets = listening_sockets(config(2, host="::1"))
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    try:
        assert {sock.family for sock in sockets} == {socket.AF_INET6}
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.skipif(not spreads_connections(), reason="Linux only: SO_REUSEPORT spreads there")
def test_a_port_taken_by_another_program_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CLIError, match=f"cannot listen on 127.0.0.1:{port}") as error:
            listening_sockets(config(2, port=port))
    assert "--port" in (error.value.hint or "")


@pytest.mark.parametrize("count", [1, 3])
def test_one_shared_socket_where_connections_are_not_spread(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "spreads_connections", lambda: False)
    sockets = listening_sockets(config(count))
    try:
        assert len(sockets) == count
        assert len({id(sock) for sock in sockets}) == 1
    finally:
        sockets[0].close()


class Recorded:
    """Stands in for uvicorn's worker process: records its socket and what was done to it."""

    started: ClassVar[list[Recorded]] = []
    ready: ClassVar[bool] = True
    log: ClassVar[list[str]] = []

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        self.sockets, self.alive, self.exitcode = sockets, False, 0
        self.pid = len(Recorded.started)

    def start(self) -> None:
        self.alive = True
        Recorded.started.append(self)
        Recorded.log.append(f"start {self.pid}")

    def is_alive(self, timeout: float) -> bool:
        return self.alive

    def wait_until_ready(self, timeout: float, should_exit: object) -> bool:
        return Recorded.ready

    def terminate(self) -> None:
        self.alive = False
        Recorded.log.append(f"stop {self.pid}")

    def kill(self) -> None:
        self.alive = False

    def join(self) -> None:
        pass


@pytest.fixture
def supervisor(monkeypatch: pytest.MonkeyPatch) -> Iterator[workers.Workers]:
    monkeypatch.setattr(workers, "Process", Recorded)
    monkeypatch.setattr(Recorded, "started", [])
    monkeypatch.setattr(Recorded, "log", [])
    sockets = [socket.socket() for _ in range(3)]
    made = workers.Workers(config(3), sockets)
    made.init_processes()
    yield made
    for sock in sockets:
        sock.close()


def socket_of(process: object) -> socket.socket:
    assert isinstance(process, Recorded)
    (sock,) = process.sockets
    return sock


def test_worker_i_serves_socket_i(supervisor: workers.Workers) -> None:
    assert [socket_of(p) for p in supervisor.processes] == supervisor.sockets


def test_a_dead_worker_is_replaced_on_its_own_socket(supervisor: workers.Workers) -> None:
    dead = supervisor.processes[1]
    assert isinstance(dead, Recorded)
    dead.alive = False
    supervisor.keep_subprocess_alive()
    assert supervisor.processes[1] is not dead
    assert [socket_of(p) for p in supervisor.processes] == supervisor.sockets
    assert len(Recorded.started) == 4


def test_a_worker_that_failed_to_start_stops_the_server(supervisor: workers.Workers) -> None:
    broken = supervisor.processes[0]
    assert isinstance(broken, Recorded)
    broken.alive, broken.exitcode = False, uvicorn.config.STARTUP_FAILURE
    supervisor.keep_subprocess_alive()
    assert supervisor.should_exit.is_set()
    assert len(Recorded.started) == 3  # nothing restarted


def test_a_restart_replaces_each_worker_on_its_socket(supervisor: workers.Workers) -> None:
    old = list(supervisor.processes)
    supervisor.restart_all()
    assert all(p is not o for p, o in zip(supervisor.processes, old, strict=True))
    # Each replacement starts before the worker it replaces stops.
    assert Recorded.log[3:] == ["start 3", "stop 0", "start 4", "stop 1", "start 5", "stop 2"]
    assert [socket_of(p) for p in supervisor.processes] == supervisor.sockets


def test_a_replacement_not_ready_ends_the_restart_with_the_rest_kept(
    supervisor: workers.Workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = list(supervisor.processes)
    monkeypatch.setattr(Recorded, "ready", False)
    supervisor.restart_all()
    assert supervisor.processes == old
    assert all(isinstance(o, Recorded) and o.alive for o in old)


def test_the_worker_count_is_fixed(supervisor: workers.Workers) -> None:
    supervisor.handle_ttin()
    supervisor.handle_ttou()
    assert len(supervisor.processes) == 3
    assert len(Recorded.started) == 3
