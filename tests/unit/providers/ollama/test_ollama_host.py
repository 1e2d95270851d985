"""``OLLAMA_HOST`` moves both Ollama providers, end to end over loopback HTTP.

The native API has no recordings, so its answer is one chat chunk in the shape Ollama
documents (``/api/chat`` with ``stream: false``); the OpenAI-compatible ``ollama``
provider replays a recorded local call.
"""

from __future__ import annotations

import pytest
from tests.support.cassettes import Interaction, cassettes, load
from tests.support.replay import replay_server

from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import ChatRequest, Message

NATIVE_ANSWER = Interaction(
    method="POST",
    path="/api/chat",
    query="",
    request_headers={},
    request_body=None,
    status=200,
    response_headers={"content-type": ["application/json"]},
    response_body={
        "model": "llama3.2",
        "created_at": "2025-01-01T00:00:00Z",
        "message": {"role": "assistant", "content": "Paris."},
        "done": True,
        "done_reason": "stop",
        "prompt_eval_count": 12,
        "eval_count": 3,
    },
)


def ask(model: str) -> ChatRequest:
    return ChatRequest(model=model, messages=[Message.user("Capital of France?")])


@pytest.mark.parametrize("form", ["{host}:{port}", "http://{host}:{port}", "0.0.0.0:{port}"])
async def test_the_native_provider_goes_where_ollama_host_says(
    form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OLLAMA_NATIVE_BASE_URL", raising=False)
    with replay_server([NATIVE_ANSWER]) as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        monkeypatch.setenv("OLLAMA_HOST", form.format(host=host, port=port))
        response = await chat_model("ollama-native/llama3.2").complete(ask("llama3.2"))
    assert not server.errors, server.errors
    assert response.text == "Paris."


async def test_the_native_base_url_wins_over_ollama_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")  # the discard port: nothing answers
    with replay_server([NATIVE_ANSWER]) as server:
        monkeypatch.setenv("OLLAMA_NATIVE_BASE_URL", server.base_url)
        response = await chat_model("ollama-native/llama3.2").complete(ask("llama3.2"))
    assert response.text == "Paris."


async def test_the_openai_compatible_provider_keeps_v1(monkeypatch: pytest.MonkeyPatch) -> None:
    (path,) = [p for p in cassettes("ollama") if "local" in p.stem]
    item = load(path)[0]
    assert isinstance(item.request_body, dict)
    monkeypatch.delenv("OLLAMA_BASE_URL", raising=False)
    with replay_server([item]) as server:
        monkeypatch.setenv("OLLAMA_HOST", server.base_url)
        model = item.request_body["model"]
        response = await chat_model(f"ollama/{model}").complete(ask(model))
    assert not server.errors, server.errors
    assert server.received[0].path == "/v1/chat/completions"
    assert response.text
