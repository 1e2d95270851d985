"""Fixtures for the model registry tests: the two real catalogues and a loopback server.

The server is a real HTTP server on 127.0.0.1 that serves one body with a strong ETag
and answers a matching ``If-None-Match`` with 304, as GitHub's raw file server does.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CATALOGUES = REPO.parent / "shared" / "models"
CURRENT = CATALOGUES / "models.yaml"
PREVIOUS = CATALOGUES / "models.previous.yaml"
LITELLM = CATALOGUES / "litellm-model-prices.json"


class CatalogueServer:
    """What the loopback server serves, and what it was asked."""

    def __init__(self) -> None:
        self.body = b""
        self.status = 200
        self.requests: list[dict[str, str]] = []
        self.failures: list[int] = []
        self.url = ""
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    def serve(self, body: bytes | str, *, status: int = 200) -> None:
        self.body = body.encode() if isinstance(body, str) else body
        self.status = status

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these error statuses, then serve as before."""
        self.failures.extend(statuses)

    @property
    def statuses(self) -> list[str]:
        return [request["status"] for request in self.requests]

    def start(self) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/models.yaml"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Shut the server down: its URL then refuses connections."""
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join()
            self._httpd = None


def _handler(state: CatalogueServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            record = {key.lower(): value for key, value in self.headers.items()}
            state.requests.append(record)
            status = state.failures.pop(0) if state.failures else state.status
            if status != 200:
                record["status"] = str(status)
                self.send_error(status)
                return
            if self.headers.get("If-None-Match") == state.etag:
                record["status"] = "304"
                self.send_response(304)
                self.send_header("ETag", state.etag)
                self.end_headers()
                return
            record["status"] = "200"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(state.body)))
            self.send_header("ETag", state.etag)
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[CatalogueServer]:
    state = CatalogueServer()
    state.start()
    try:
        yield state
    finally:
        state.stop()


@pytest.fixture
def dead_url() -> str:
    """A loopback URL nothing listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/models.yaml"


@pytest.fixture
def current_text() -> str:
    return CURRENT.read_text(encoding="utf-8")


@pytest.fixture
def previous_text() -> str:
    return PREVIOUS.read_text(encoding="utf-8")
