"""A loopback TEST DOUBLE of the OpenAI Batch API and Anthropic Message Batches envelopes.

No batch traffic was ever recorded, so the envelopes here (the multipart file upload,
the batch objects, their statuses and request counts, the JSON-lines result files) are
written from the vendors' documentation. What each result carries is real: the chat
answer recorded in ``../shared/recordings/openai`` or ``…/anthropic`` for a request
that asked the same question (the text of the last user message). The same server
answers the chat endpoints directly with those recorded answers, counting the requests
in flight, for the concurrent path.

A batch ends after ``steps`` polls (``None``: never, until cancelled); questions in
``expire`` expire instead of being answered; a batch with the question ``refuse`` is
refused (OpenAI: the batch fails validation; Anthropic: its creation is answered 400).
Every departure from the documented envelope that a client makes is kept in
``errors``, which a test checks is empty.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.batch_envelopes import CHAT, Envelopes, recorded_answers
from tests.support.cassettes import Interaction


@dataclass
class BatchServer(Envelopes):
    answers: dict[str, dict[str, Interaction]]
    steps: int | None = 2
    expire: set[str] = field(default_factory=set)
    refuse: str | None = None
    hold: int = 0
    base_url: str = ""
    received: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _arrived: int = 0
    _released: int = 0
    _lock: threading.Condition = field(default_factory=threading.Condition)

    # Direct chat calls, held until ``hold`` are in flight at once (or half a second).

    def chat(self, provider: str, body: Mapping[str, Any]) -> tuple[int, Any]:
        with self._lock:
            self.in_flight += 1
            self._arrived += 1
            me = self._arrived
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if self.in_flight >= self.hold:
                self._released = self._arrived
                self._lock.notify_all()
            self._lock.wait_for(lambda: me <= self._released, timeout=0.5)
        try:
            found = self.answer(provider, body)
            return (found.status, found.response_body) if found else (404, {"error": "none"})
        finally:
            with self._lock:
                self.in_flight -= 1

    def route(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any]:
        body = json.loads(raw) if raw and "json" in headers.get("content-type", "") else {}
        parts = path.strip("/").split("/")
        if method == "POST" and path in (CHAT["openai"], CHAT["anthropic"]):
            return self.chat("openai" if path == CHAT["openai"] else "anthropic", body)
        if method == "POST" and path == "/v1/files":
            return self.upload(headers.get("content-type", ""), raw)
        if method == "GET" and parts[:2] == ["v1", "files"] and parts[-1] == "content":
            return 200, self.files[parts[2]]
        if path == "/v1/batches" and method == "POST":
            return self.openai_create(body)
        if path == "/v1/messages/batches" and method == "POST":
            return self.anthropic_create(body)
        if method == "POST" and parts[-1] == "cancel":
            return self.cancel(parts[-2])
        if method == "GET" and parts[:2] == ["v1", "batches"]:
            return self.openai_poll(parts[2])
        if (
            method == "GET"
            and parts[:3] == ["v1", "messages", "batches"]
            and parts[-1] == "results"
        ):
            lines = self.batches[parts[3]]["lines"]
            return 200, "".join(json.dumps(x) + "\n" for x in lines).encode()
        if method == "GET" and parts[:3] == ["v1", "messages", "batches"]:
            return self.anthropic_poll(parts[3])
        self.errors.append(f"unknown endpoint {method} {path}")
        return 404, {"error": {"message": f"no {method} {path}"}}


def _handler(server: BatchServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with server._lock:
                server.received.append((self.command, self.path, headers))
            status, body = server.route(self.command, self.path, headers, raw)
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            kind = "application/x-jsonl" if isinstance(body, bytes) else "application/json"
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

    return Handler


@contextmanager
def batch_server(**options: Any) -> Iterator[BatchServer]:
    """Serve the batch double on 127.0.0.1 (a free port) for the duration of the block."""
    answers = {p: recorded_answers(p) for p in CHAT}
    server = BatchServer(answers, **options)
    http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    thread = threading.Thread(target=http.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{http.server_address[1]}"
    try:
        yield server
    finally:
        http.shutdown()
        http.server_close()
        thread.join()
