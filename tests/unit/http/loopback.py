"""A scripted HTTP/1.1 server on 127.0.0.1, so client tests cross a real socket.

Each request takes the next :class:`Reply` of the script (or calls the next function,
which builds one from the request). Every request is recorded in ``received``.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    port: int = 0
    """The client's port: two requests with one port came over one kept-alive connection."""


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks: list[bytes] | None = None
    """Sent with chunked transfer encoding, one write each, instead of ``body``."""
    delay: float = 0.0
    """Seconds to wait before answering at all."""
    cut: bool = False
    """Drop the connection after ``chunks`` instead of ending the body properly."""


Step = Reply | Callable[[Received], Reply]


@dataclass
class Loopback:
    base_url: str = ""
    script: list[Step] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, *steps: Step) -> None:
        self.script.extend(steps)

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def next_reply(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
            if not self.script:
                return Reply(599, body=b"the test script has no reply left")
            step = self.script.pop(0)
        return step(request) if callable(step) else step


def _handler(loopback: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            port = self.client_address[1]
            reply = loopback.next_reply(Received(self.command, self.path, headers, body, port))
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is None:
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for chunk in reply.chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            if reply.cut:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(b"0\r\n\r\n")

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is what some tests are about.
        return


@contextmanager
def loopback_server(tls: ssl.SSLContext | None = None) -> Iterator[Loopback]:
    """The server, on ``https://`` when given a server-side ``tls`` context."""
    loopback = Loopback()
    server = _Server(("127.0.0.1", 0), _handler(loopback))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    scheme = "http" if tls is None else "https"
    loopback.base_url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    try:
        yield loopback
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def refused_url() -> str:
    """A loopback URL where nothing listens, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
