"""The gateway served over real HTTP on loopback, for tests that call it with the SDKs.

uvicorn runs the app in a thread of its own, on a socket bound here to a free port, so
every byte goes through a real HTTP server and the clients' own HTTP stacks. The server
tests also share how a router is served over a loopback upstream
(:mod:`tests.support.faults`), the question they ask and the recorded answer they
expect back, so those live here too.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from anthropic.types import MessageParam
from openai.types.chat import ChatCompletionMessageParam

from fluent_ai.engine import Deployment, Router
from fluent_ai.http.sse import iter_sse
from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.types import ChatResponse, StreamEvent, collect_events
from tests.support.faults import Upstream, upstream

if TYPE_CHECKING:
    from fluent_ai.embeddings import EmbeddingModel
    from fluent_ai.server.gatekeeper import Gatekeeper

KEY_ENV = "GATEWAY_TEST_UPSTREAM_KEY"
"""The variable :func:`served_router`'s deployments read their upstream key from; the
server tests' ``conftest`` sets it to :data:`UPSTREAM_KEY`."""
UPSTREAM_KEY = "sk-upstream-key"
ASKED = "What is the capital of France?"
QUESTION: list[ChatCompletionMessageParam] = [{"role": "user", "content": ASKED}]
ASK_CLAUDE: list[MessageParam] = [{"role": "user", "content": ASKED}]


def served_router(up: Upstream, spec: str) -> Router:
    """A router of one deployment, ``spec`` (``openai/…`` or ``anthropic/…``), sent to
    ``up`` with no retries, so every upstream answer reaches the caller as it came."""
    base = up.v1 if spec.startswith("openai/") else up.base_url
    return Router([Deployment(spec, name=up.name, base_url=base, api_key_env=KEY_ENV)], retry=None)


def recorded(up: Upstream, *, stream: bool) -> ChatResponse:
    """The answer the upstream's recording holds, as the protocol reads it."""
    flavour = up.flavour
    protocol = AnthropicProtocol() if flavour.path == "/v1/messages" else OpenAIChatProtocol()
    if not stream:
        return collect_events(protocol.decode_response(flavour.whole.response_body))
    decoder = protocol.stream_decoder()
    events: list[StreamEvent] = []
    for message in iter_sse([flavour.stream.response_text.encode()]):
        events += decoder.feed(message.data, message.event)
    return collect_events([*events, *decoder.close()])


@contextmanager
def serving(
    models: Mapping[str, ChatModel],
    *,
    embedders: Mapping[str, EmbeddingModel] | None = None,
    max_body: int | None = None,
    cors_origins: Sequence[str] = (),
    keys: Gatekeeper | None = None,
) -> Iterator[str]:
    """The base URL of a gateway serving ``models`` for the duration of the block
    (``max_body``: the app's own limit unless given)."""
    # Imported here, not above: they need the server extra, while the constants and
    # helpers above serve every server test (the server tests' conftest reads KEY_ENV).
    from fluent_ai.server import create_app
    from fluent_ai.server.app import MAX_BODY

    app = create_app(
        models,
        embedders=embedders,
        max_body=MAX_BODY if max_body is None else max_body,
        cors_origins=cors_origins,
        keys=keys,
    )
    with served(app) as url:
        yield url


@contextmanager
def served(app: object, **options: Any) -> Iterator[str]:
    """The base URL of ``app`` under uvicorn on loopback (``options``: more of
    ``uvicorn.Config``'s) for the duration of the block."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="on", **options)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def gpt_gateway(
    *, keys: Gatekeeper | None = None, max_body: int | None = None
) -> Iterator[tuple[Upstream, str]]:
    """GPT (``openai/gpt-4o`` over a loopback upstream) served as ``fast``: the upstream
    and the gateway's base URL; ``keys`` and ``max_body`` as for :func:`serving`."""
    with (
        upstream("gpt") as up,
        serving({"fast": served_router(up, "openai/gpt-4o")}, keys=keys, max_body=max_body) as url,
    ):
        yield up, url


@contextmanager
def claude_gateway() -> Iterator[tuple[Upstream, str]]:
    """Claude (``anthropic/claude-haiku-4-5`` over a loopback upstream) served as
    ``smart``: the upstream and the gateway's base URL."""
    with (
        upstream("claude", flavour="anthropic") as up,
        serving({"smart": served_router(up, "anthropic/claude-haiku-4-5")}) as url,
    ):
        yield up, url
