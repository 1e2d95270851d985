"""The gateway served over real HTTP on loopback, for tests that call it with the SDKs.

uvicorn runs the app in a thread of its own, on a socket bound here to a free port, so
every byte goes through a real HTTP server and the clients' own HTTP stacks.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import uvicorn

from fluent_ai.embeddings import EmbeddingModel
from fluent_ai.providers.base import ChatModel
from fluent_ai.server import create_app
from fluent_ai.server.app import MAX_BODY
from fluent_ai.server.gatekeeper import Gatekeeper


@contextmanager
def serving(
    models: Mapping[str, ChatModel],
    *,
    embedders: Mapping[str, EmbeddingModel] | None = None,
    max_body: int = MAX_BODY,
    cors_origins: Sequence[str] = (),
    keys: Gatekeeper | None = None,
) -> Iterator[str]:
    """The base URL of a gateway serving ``models`` for the duration of the block."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(
            models, embedders=embedders, max_body=max_body, cors_origins=cors_origins, keys=keys
        ),
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the gateway did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
