"""A real HTTP/3 server on loopback: hypercorn, serving QUIC through aioquic, in a thread.

One port number serves TLS over TCP (HTTP/2 and HTTP/1.1, by ALPN) and QUIC over UDP
(HTTP/3), and every TCP response carries hypercorn's ``Alt-Svc: h3=":port"`` offer, as
the vendors' front ends do. The certificate is made at start-up with ``trustme``; point
``SSL_CERT_FILE`` at :attr:`H3Server.ca_file` so clients trust it.

The sockets are bound here, before hypercorn starts (it is handed them as ``fd://``), so
the ports are free ones that no other test can take, and a client that connects before
hypercorn's loop runs is queued by the kernel instead of refused.

:class:`App` is a small ASGI app whose routes the HTTP/3 tests and the benchmark use;
it records the HTTP version of every request it answers.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from hypercorn.asyncio import serve
from hypercorn.config import Config

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Handler = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class App:
    """Routes by path; ``/hello`` answers with the HTTP version it was reached over."""

    routes: dict[str, Handler] = field(default_factory=dict)
    versions: list[tuple[str, str]] = field(default_factory=list)
    """``(path, http_version)`` of each request, ``"3"`` for HTTP/3, in arrival order."""
    peers: set[tuple[str, int]] = field(default_factory=set)
    """The client addresses seen: one per connection the client opened."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        self.versions.append((scope["path"], scope["http_version"]))
        self.peers.add(tuple(scope["client"]))
        handler = self.routes.get(scope["path"], hello)
        try:
            await handler(scope, receive, send)
        except RuntimeError:
            # hypercorn's HTTP/3 does not tell the app of a stream the client reset;
            # sending on it raises "Cannot send data after the stream was reset".
            return


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    await read_body(receive)
    await answer(send, 200, f"hello over HTTP/{scope['http_version']}".encode())


async def read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += bytes(message.get("body", b""))
        if not message.get("more_body"):
            return body


async def answer(send: Send, status: int, body: bytes, content_type: bytes = b"text/plain") -> None:
    headers = [(b"content-type", content_type), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


@dataclass(frozen=True)
class H3Server:
    port: int
    ca_file: Path

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def url(self, path: str = "/hello") -> str:
        return self.base_url + path


@contextmanager
def h3_server(
    app: App, directory: Path, *, quic: bool = True, alt_svc: str | None = None
) -> Iterator[H3Server]:
    """Serve ``app`` over TLS on TCP, and over QUIC on the same port number if ``quic``.

    ``alt_svc`` replaces hypercorn's own ``Alt-Svc`` value (e.g. to advertise a UDP port
    where nothing listens).
    """
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    ca_file, cert_file, key_file = (directory / n for n in ("ca.pem", "cert.pem", "key.pem"))
    ca.cert_pem.write_to_path(str(ca_file))
    leaf.private_key_pem.write_to_path(str(key_file))
    for index, blob in enumerate(leaf.cert_chain_pems):
        blob.write_to_path(str(cert_file), append=index > 0)
    with ExitStack() as stack:
        tcp, udp = _sockets_on_one_port(with_udp=quic)
        stack.callback(tcp.close)
        config = Config()
        config.certfile, config.keyfile = str(cert_file), str(key_file)
        config.bind = [f"fd://{os.dup(tcp.fileno())}"]
        if udp is not None:
            stack.callback(udp.close)
            config.quic_bind = [f"fd://{os.dup(udp.fileno())}"]
        if alt_svc is not None:
            config.alt_svc_headers = [alt_svc]
        config.graceful_timeout = 1.0
        config.errorlog = None
        port = tcp.getsockname()[1]
        with _running(app, config):
            yield H3Server(port, ca_file)


def _sockets_on_one_port(*, with_udp: bool) -> tuple[socket.socket, socket.socket | None]:
    """A listening TCP socket and a UDP socket with the same free port number on 127.0.0.1."""
    for _ in range(50):
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.bind(("127.0.0.1", 0))
        tcp.listen(128)
        if not with_udp:
            return tcp, None
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind(("127.0.0.1", tcp.getsockname()[1]))
        except OSError:
            udp.close()
            tcp.close()
            continue
        return tcp, udp
    raise RuntimeError("no port number free for both TCP and UDP on 127.0.0.1")


@contextmanager
def _running(app: App, config: Config) -> Iterator[None]:
    started = threading.Event()
    held: dict[str, Any] = {}

    async def main() -> None:
        stop = asyncio.Event()
        held["loop"], held["stop"] = asyncio.get_running_loop(), stop
        started.set()
        try:
            await serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]
        except Exception:
            # At shutdown hypercorn cancels handlers still running (a test's silent
            # route) and fails to answer them on streams the client already reset.
            if not stop.is_set():
                raise

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield
    finally:
        held["loop"].call_soon_threadsafe(held["stop"].set)
        thread.join(10)


def unused_udp_port() -> int:
    """A loopback UDP port where nothing listens: datagrams sent there are refused (ICMP)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
