"""A loopback Anthropic server that streams a recorded answer and stops half-way.

It sends the recorded events up to the first few text deltas, then holds the rest
until the test opens the gate, so a client is certainly waiting for more when the
test interrupts it: the state Ctrl-C finds in the middle of a real answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.cassettes import cassettes, load

TEXT_DELTAS_BEFORE_GATE = 3


@dataclass
class Gated:
    base_url: str = ""
    sent_text: str = ""
    """The text deltas sent before the gate, joined: what the client can have seen."""
    gate: threading.Event = field(default_factory=threading.Event)
    requests: int = 0


def recorded_events() -> list[str]:
    (path,) = [p for p in cassettes("anthropic") if p.stem.endswith("thinking_part_stream")]
    return [event + "\n\n" for event in load(path)[0].response_text.split("\n\n") if event]


def _split(events: list[str]) -> tuple[list[str], list[str], str]:
    text, seen = "", 0
    for index, event in enumerate(events):
        if '"text_delta"' in event:
            text += json.loads(event.split("data:", 1)[1])["delta"]["text"]
            seen += 1
            if seen == TEXT_DELTAS_BEFORE_GATE:
                return events[: index + 1], events[index + 1 :], text
    raise AssertionError("the recording has too few text deltas")


@contextmanager
def gated_server() -> Iterator[Gated]:
    before, after, text = _split(recorded_events())
    state = Gated(sent_text=text)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            state.requests += 1
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            try:
                self._send(before)
                state.gate.wait(timeout=30)
                self._send(after)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                return  # the client hung up on being interrupted, as it should

        def _send(self, events: list[str]) -> None:
            for event in events:
                data = event.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.gate.set()
        server.shutdown()
        server.server_close()
        thread.join()
