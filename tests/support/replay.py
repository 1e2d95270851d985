"""A loopback HTTP server that replays one cassette, so tests run the whole HTTP path.

Interactions are served in recorded order; each request must match the next one's
method and path. SSE bodies are sent event by event as separate chunks (chunked
transfer encoding), so the client's incremental parser is exercised as on the wire.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.cassettes import Interaction

_EVENT_END = re.compile(rb"(\r\n\r\n|\n\n|\r\r)")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    query: str = ""


@dataclass
class Replay:
    interactions: Sequence[Interaction]
    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, method: str, path: str) -> Interaction | None:
        with self._lock:
            if self._next >= len(self.interactions):
                self.errors.append(f"unexpected extra request {method} {path}")
                return None
            item = self.interactions[self._next]
            if item.method != method or item.path != path:
                self.errors.append(f"expected {item.method} {item.path}, got {method} {path}")
                return None
            self._next += 1
            return item


def _chunks(body: bytes) -> list[bytes]:
    pieces, start = [], 0
    for match in _EVENT_END.finditer(body):
        pieces.append(body[start : match.end()])
        start = match.end()
    if start < len(body):
        pieces.append(body[start:])
    return pieces or [body]


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            path, _, query = self.path.partition("?")
            headers = {k.lower(): v for k, v in self.headers.items()}
            replay.received.append(Received(self.command, path, headers, body, query))
            item = replay.take(self.command, path)
            if item is None:
                self.send_response(599, "no recorded interaction")
                self.send_header("content-length", "0")
                self.end_headers()
                return
            payload = item.response_text.encode()
            self.send_response(item.status)
            self.send_header("content-type", item.content_type)
            for name, values in item.response_headers.items():
                if name.lower() in ("retry-after", "retry-after-ms", "request-id", "x-request-id"):
                    self.send_header(name, str(values[0]))
            if item.is_stream:
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                for piece in _chunks(payload):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


@contextmanager
def replay_server(interactions: Sequence[Interaction]) -> Iterator[Replay]:
    """Serve ``interactions`` on 127.0.0.1 (a free port) for the duration of the block."""
    replay = Replay(interactions)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    replay.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
