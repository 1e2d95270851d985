"""A loopback HTTP server that answers like one embedding vendor, computed from the request.

There are no recorded embedding cassettes, so this is a wire-shape server, not replayed
traffic: it reads each request in the vendor's documented request shape and answers in
the documented response shape, with vectors derived from a hash of each text. Batching,
order and dimension checks therefore run against real sockets and real bodies, and a
wrong index or a mixed-up batch shows up as a wrong vector.

Faults are injected per request with :attr:`VendorServer.fault`, which may return a
:class:`Reply` to send instead of the normal answer.
"""

from __future__ import annotations

import hashlib
import json
import random
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from fluent_ai.embeddings.providers import REMOTE

DIMENSIONS = 8

_AUTH = {"gemini": "x-goog-api-key"}
_PATHS = {"cohere": "/v2/embed", "ollama": "/api/embed"}


def vector_for(text: str, dimensions: int = DIMENSIONS) -> list[float]:
    """The vector the server gives ``text``: stable, distinct per text, exact in JSON."""
    digest = hashlib.sha256(text.encode()).digest() * (dimensions // 8 + 1)
    values = struct.unpack(f"<{dimensions}i", digest[: 4 * dimensions])
    return [value / 2**31 for value in values]


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    number: int
    path: str
    headers: dict[str, str]
    body: Any
    texts: list[str]


Fault = Callable[[Request], Reply | None]


@dataclass
class VendorServer:
    provider: str
    key: str
    model: str = "test-model"
    root: str = ""
    received: list[Request] = field(default_factory=list)
    fault: Fault | None = None
    after: Callable[[Request], None] | None = None
    """Called once an answer has been written, e.g. to release a held batch."""
    delay: float = 0.0
    """Seconds each answer waits, so that concurrent batches overlap."""
    in_flight: int = 0
    most_in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        """The server's root plus the path the vendor's real base URL has (``/v1`` …)."""
        return self.root + urlsplit(REMOTE[self.provider][0].base_url).path

    @property
    def path(self) -> str:
        if self.provider == "gemini":
            return f"/v1beta/models/{self.model}:batchEmbedContents"
        return _PATHS.get(self.provider, "/v1/embeddings")

    def texts_of(self, body: Any) -> list[str]:
        if self.provider == "cohere":
            return list(body["texts"])
        if self.provider == "gemini":
            return [item["content"]["parts"][0]["text"] for item in body["requests"]]
        return list(body["input"])

    def requested_dimensions(self, body: Any) -> int:
        if self.provider == "gemini":
            return int(body["requests"][0].get("outputDimensionality", DIMENSIONS))
        for name in ("dimensions", "output_dimension"):
            if name in body:
                return int(body[name])
        return DIMENSIONS

    def answer(self, request: Request) -> Reply:
        if self.fault is not None and (reply := self.fault(request)) is not None:
            return reply
        if request.path != self.path:
            return Reply(404, {"error": f"no route {request.path}"})
        header = _AUTH.get(self.provider, "authorization")
        sent = request.headers.get(header, "")
        if self.provider != "ollama" and sent.removeprefix("Bearer ") != self.key:
            return self.error(401, f"invalid api key {sent}")
        size = self.requested_dimensions(request.body)
        return Reply(200, self.success([vector_for(t, size) for t in request.texts], request))

    def success(self, vectors: list[list[float]], request: Request) -> Any:
        tokens = sum(len(text.split()) for text in request.texts)
        if self.provider == "cohere":
            return {
                "id": "e1",
                "embeddings": {"float": vectors},
                "texts": request.texts,
                "meta": {"billed_units": {"input_tokens": tokens}},
                "response_type": "embeddings_by_type",
            }
        if self.provider == "gemini":
            return {"embeddings": [{"values": vector} for vector in vectors]}
        if self.provider == "ollama":
            return {"model": self.model, "embeddings": vectors, "prompt_eval_count": tokens}
        data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
        # The index, not the position, says which text a vector belongs to.
        random.Random(request.number).shuffle(data)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return {"object": "list", "data": data, "model": self.model, "usage": usage}

    def error(self, status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
        """An error in the vendor's own body shape."""
        body: Any
        if self.provider in ("openai", "mistral"):
            body = {"error": {"message": message, "type": "invalid_request_error", "code": None}}
        elif self.provider == "gemini":
            body = {"error": {"code": status, "message": message, "status": "UNAUTHENTICATED"}}
        elif self.provider == "ollama":
            body = {"error": message}
        elif self.provider == "cohere":
            body = {"id": "e1", "message": message}
        else:
            body = {"detail": message}
        return Reply(status, body, headers or {})

    def serve(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[Request, Reply]:
        body = json.loads(raw) if raw else None
        with self._lock:
            request = Request(len(self.received), path, headers, body, self.texts_of(body))
            self.received.append(request)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            return request, self.answer(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    @property
    def batch_sizes(self) -> list[int]:
        return [len(request.texts) for request in self.received]


class AnswerOrder:
    """Holds every batch until all have arrived, then answers them in ``order``.

    Batches are named by their first text; each answer waits until the batch before it
    in ``order`` has been answered. A wait that runs out is recorded in ``timed_out``.
    """

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self.all_arrived = threading.Barrier(len(order))
        self.answered = {name: threading.Event() for name in order}
        self.timed_out: list[str] = []

    def __call__(self, request: Request) -> None:
        name = request.texts[0]
        try:
            self.all_arrived.wait(timeout=5)
        except threading.BrokenBarrierError:
            self.timed_out.append(name)
        position = self.order.index(name)
        if position and not self.answered[self.order[position - 1]].wait(timeout=5):
            self.timed_out.append(name)

    def done(self, request: Request) -> None:
        self.answered[request.texts[0]].set()


def _handler(server: VendorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            request, reply = server.serve(self.path, headers, raw)
            payload = json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(payload)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up on this batch: after another batch failed, pending
                # ones are cancelled, and their connections closed mid-answer.
                return
            if server.after is not None:
                server.after(request)

    return Handler


@contextmanager
def vendor_server(provider: str, key: str = "test-key-0123456789abcdef") -> Iterator[VendorServer]:
    """A :class:`VendorServer` for ``provider`` on a free port of 127.0.0.1."""
    vendor = VendorServer(provider, key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(vendor))
    httpd.daemon_threads = True
    vendor.root = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield vendor
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
