"""A replay server that holds its answer part-way until the test lets it go.

Shared calls, late joiners and cancellations are only testable when a call is known to
be in flight: this server sends the first ``hold_after`` stream messages (none for a
plain JSON body), signals ``Hold.reached``, and sends the rest only once the test sets
``Hold.release``. No sleeps: the test waits on the signal, then acts, then releases.
Matching and recording are :class:`~tests.support.replay.Replay`'s, so ``received``
counts the calls the upstream really got.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.cassettes import Interaction
from tests.support.replay import Received, Replay, _chunks

WAIT_S = 30.0
"""A bound on each wait, so a broken test fails instead of hanging; not a timing."""


@dataclass
class Hold:
    hold_after: int
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def wait_reached(self) -> bool:
        return self.reached.wait(WAIT_S)


def _handler(replay: Replay, hold: Hold) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            path, _, query = self.path.partition("?")
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = json.loads(raw) if raw else None
            replay.received.append(Received(self.command, path, headers, body, query))
            item = replay.take(self.command, path)
            if item is None:
                self.send_response(599, "no recorded interaction")
                self.send_header("content-length", "0")
                self.end_headers()
                return
            self._send(item)

        def _send(self, item: Interaction) -> None:
            payload = item.response_text.encode()
            self.send_response(item.status)
            self.send_header("content-type", item.content_type)
            if not item.is_stream:
                hold.reached.set()
                hold.release.wait(WAIT_S)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for number, piece in enumerate(_chunks(payload)):
                if number == hold.hold_after:
                    hold.reached.set()
                    hold.release.wait(WAIT_S)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")

    return Handler


@contextmanager
def held_replay_server(
    interactions: Sequence[Interaction], *, hold_after: int = 0
) -> Iterator[tuple[Replay, Hold]]:
    """Serve ``interactions`` on 127.0.0.1, holding each answer as described above."""
    replay = Replay(interactions)
    hold = Hold(hold_after)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay, hold))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    replay.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield replay, hold
    finally:
        hold.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
