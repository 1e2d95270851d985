"""A streamed chat through a real provider model, over HTTP/3 once the server offered it.

The loopback HTTP/3 server replays OpenAI's recorded Chat Completions stream
(``../shared/recordings/openai``) event by event, as the vendor sends it.
"""

from __future__ import annotations

import json
import re
from contextlib import aclosing
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aioquic", reason="needs the http3 extra: pip install 'fluent-ai[http3]'")
pytest.importorskip("hypercorn")
pytest.importorskip("trustme")

from fluent_ai.http import HttpClient
from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import ChatRequest, Message, TextDelta
from tests.support.cassettes import Interaction, load, recordings_dir
from tests.support.h3_server import App, Receive, Scope, Send, h3_server, read_body

_EVENT_END = re.compile(rb"\n\n")


def recorded_stream() -> Interaction:
    path = recordings_dir() / "openai" / "test_openai__test_openai_moderation_stream.yaml"
    if not path.exists():
        pytest.skip(f"recordings not found: {path}")
    return load(path)[0]


class Replayed:
    """``/v1/chat/completions``: the recorded stream, one SSE event per body chunk."""

    def __init__(self, item: Interaction) -> None:
        self.item = item
        self.bodies: list[Any] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.bodies.append(json.loads(await read_body(receive)))
        headers = [(b"content-type", self.item.content_type.encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        payload, start = self.item.response_text.encode(), 0
        for match in _EVENT_END.finditer(payload):
            piece = payload[start : match.end()]
            start = match.end()
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": payload[start:]})


async def test_a_streamed_chat_moves_to_http3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replayed = Replayed(recorded_stream())
    app = App(routes={"/v1/chat/completions": replayed})
    request = ChatRequest(model="gpt-4o", messages=[Message.user("What is the capital of France?")])
    with h3_server(app, tmp_path) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        async with HttpClient(http3=True, http2=True) as client:
            model = chat_model(
                "openai/gpt-4o", api_key="test-key", base_url=server.base_url + "/v1", client=client
            )
            answers = []
            for _ in range(2):
                async with aclosing(model.stream(request)) as events:
                    deltas = [e.text async for e in events if isinstance(e, TextDelta)]
                answers.append(deltas)
    assert answers == [["Paris", "."], ["Paris", "."]]
    assert app.versions == [("/v1/chat/completions", "2"), ("/v1/chat/completions", "3")]
    assert [body["stream"] for body in replayed.bodies] == [True, True]
    assert replayed.bodies[1]["messages"][-1]["content"] == "What is the capital of France?"
