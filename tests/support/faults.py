"""A loopback upstream that fails on cue, for the router's fault tests.

Each :class:`Upstream` is one HTTP server on 127.0.0.1 that speaks one vendor's API
(OpenAI Chat Completions or Anthropic Messages) and answers with that vendor's real
recorded answers (``../shared/recordings``), streamed event by event as chunks the way
:mod:`tests.support.replay` serves them. Before each request it takes the next action
of its script (``upstream.script(...)``), then ``default``:

* :class:`Ok` answers, after ``delay`` seconds before the headers and ``first_byte``
  seconds between the headers and the body (and ``gap`` seconds between a stream's
  chunks, so a client can leave mid-stream);
* :class:`Status` answers an error status in the vendor's error format, with
  ``Retry-After`` when given;
* :class:`Hang` reads the request and answers nothing for ``seconds``;
* :class:`Reset` closes the connection with a TCP reset before any response;
* :class:`Cut` streams the first ``after`` chunks of the answer, then resets.

Each answer gets its own id (``<upstream>-<n>``, put in place of the recorded id), so a
test can tell exactly which upstream request an answer came from; every request is
logged in ``served`` with its action and whether a whole answer was written.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.cassettes import Interaction, load, recordings_dir
from tests.support.replay import _chunks


@dataclass(frozen=True)
class Ok:
    delay: float = 0.0
    first_byte: float = 0.0
    gap: float = 0.0


@dataclass(frozen=True)
class Status:
    code: int
    retry_after: float | None = None


@dataclass(frozen=True)
class Hang:
    seconds: float = 5.0


@dataclass(frozen=True)
class Reset:
    pass


@dataclass(frozen=True)
class Cut:
    after: int = 1


Action = Ok | Status | Hang | Reset | Cut


@dataclass(frozen=True)
class Flavour:
    """One vendor's endpoint, its recorded answers and its error body."""

    path: str
    stream: Interaction
    whole: Interaction
    recorded_ids: tuple[str, ...]
    error: dict[str, Any]


def _flavours() -> dict[str, Flavour]:
    openai = recordings_dir() / "openai"
    anthropic = recordings_dir() / "anthropic"
    return {
        "openai": Flavour(
            path="/v1/chat/completions",
            stream=load(openai / "test_openai__test_openai_moderation_stream.yaml")[0],
            whole=load(openai / "test_openai__test_valid_response.yaml")[0],
            recorded_ids=(
                "chatcmpl-E4Rjs6IxaJVge9Ntk5keJsaeDy6vS",
                "chatcmpl-Bu8vBIrB8kIWKRyTcpEEPncjhHtMU",
            ),
            error={"error": {"message": "injected failure", "type": "server_error"}},
        ),
        "anthropic": Flavour(
            path="/v1/messages",
            stream=load(
                anthropic / "test_anthropic__test_request_stream_fallback_for_high_max_tokens.yaml"
            )[0],
            whole=load(anthropic / "test_anthropic__test_anthropic_model_instructions.yaml")[0],
            recorded_ids=("msg_018E1hg8GoVTGEKQY3ovMcSJ", "msg_01Fg1JVgvCYUHWsxrj9GkpEv"),
            error={"type": "error", "error": {"type": "api_error", "message": "injected failure"}},
        ),
    }


@dataclass
class Served:
    """One request as the upstream saw it."""

    number: int
    path: str
    body: Any
    action: Action
    answer_id: str
    answered: bool = False  # a whole 200 answer was written
    dropped: bool = False  # the peer closed the connection while it was being answered


@dataclass
class Upstream:
    name: str
    flavour: Flavour
    default: Action = field(default_factory=Ok)
    base_url: str = ""
    served: list[Served] = field(default_factory=list)
    _script: deque[Action] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def script(self, *actions: Action) -> Upstream:
        with self._lock:
            self._script.extend(actions)
        return self

    def _next(self, path: str, body: Any) -> Served:
        with self._lock:
            action = self._script.popleft() if self._script else self.default
            number = len(self.served) + 1
            served = Served(number, path, body, action, f"{self.name}-{number}")
            self.served.append(served)
            return served

    @property
    def answered(self) -> list[Served]:
        return [s for s in self.served if s.answered]

    @property
    def v1(self) -> str:
        """The base URL with the ``/v1`` prefix OpenAI's base URLs carry."""
        return self.base_url + "/v1"


def _handler(upstream: Upstream) -> type[BaseHTTPRequestHandler]:
    flavour = upstream.flavour

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as separate writes: without this, Nagle's algorithm
            # holds the second until the client's delayed ACK, 40 ms a request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            served = upstream._next(self.path, body)
            try:
                self._act(served, body)
            except (BrokenPipeError, ConnectionResetError):
                served.dropped = True
                self.close_connection = True

        def _act(self, served: Served, body: Any) -> None:
            action = served.action
            if isinstance(action, Reset):
                self._reset()
                return
            if isinstance(action, Hang):
                upstream._stopping.wait(action.seconds)
                self.close_connection = True
                return
            if isinstance(action, Status):
                payload = json.dumps(flavour.error).encode()
                self.send_response(action.code)
                self.send_header("content-type", "application/json")
                if action.retry_after is not None:
                    self.send_header("retry-after", f"{action.retry_after:g}")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if self.path != flavour.path:
                self.send_response(404)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            stream = bool(isinstance(body, dict) and body.get("stream"))
            item = flavour.stream if stream else flavour.whole
            text = item.response_text
            for recorded in flavour.recorded_ids:
                text = text.replace(recorded, served.answer_id)
            if isinstance(action, Ok) and action.delay:
                upstream._stopping.wait(action.delay)
            self.send_response(200)
            self.send_header("content-type", item.content_type)
            if not stream:
                payload = text.encode()
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                served.answered = True
                return
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            if isinstance(action, Ok) and action.first_byte:
                upstream._stopping.wait(action.first_byte)
            for index, piece in enumerate(_chunks(text.encode())):
                if isinstance(action, Cut) and index >= action.after:
                    self.wfile.flush()
                    self._reset()
                    return
                if isinstance(action, Ok) and action.gap and index:
                    upstream._stopping.wait(action.gap)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            served.answered = True

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextmanager
def upstream(
    name: str, flavour: str = "openai", default: Action | None = None
) -> Iterator[Upstream]:
    """One misbehaving upstream on 127.0.0.1 (a free port) for the duration of the block."""
    up = Upstream(name, _flavours()[flavour], default or Ok())
    server = _Server(("127.0.0.1", 0), _handler(up))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    up.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield up
    finally:
        up._stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def upstreams(*names: str, flavour: str = "openai") -> Iterator[list[Upstream]]:
    """Several upstreams of one flavour."""
    with ExitStack() as stack:
        yield [stack.enter_context(upstream(name, flavour)) for name in names]


def wait_until(condition: Any, timeout: float = 5.0) -> None:
    """Poll ``condition()`` until it is true (a server thread finishing its write)."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


class FakeClock:
    """A clock that moves only when told: ``advance(s)``, or ``sleep(s)`` as a retry wait."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
