"""The listening sockets ``fluent-ai serve`` gives its workers (the workers themselves
are tested end to end in tests/unit/server/test_serve.py)."""

from __future__ import annotations

import socket

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import uvicorn

from fluent_ai.cli import workers
from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.workers import listening_sockets, spreads_connections


def config(workers: int, host: str = "127.0.0.1", port: int = 0) -> uvicorn.Config:
    return uvicorn.Config(
        "fluent_ai.server.config:worker_app", host=host, port=port, workers=workers
    )


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
