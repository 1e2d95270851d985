"""The gateway over real HTTP, called with the official OpenAI and Anthropic SDKs.

Upstreams are loopback servers answering with real recorded answers
(:mod:`tests.support.faults`); the gateway (uvicorn, :mod:`tests.support.gateway`)
serves a router over them. An OpenAI client is answered by Claude and an Anthropic
client by GPT, whole and streamed, and each SDK must read exactly the recorded answer.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import anthropic
import httpx
import openai

from fluent_ai.types import StreamEvent
from tests.support.faults import Cut, Status, Upstream
from tests.support.gateway import (
    ASK_CLAUDE,
    QUESTION,
    UPSTREAM_KEY,
    gpt_gateway,
    recorded,
    serving,
)


def test_an_openai_client_is_answered_by_claude(claude: tuple[Upstream, str]) -> None:
    up, url = claude
    client = openai.OpenAI(base_url=url + "/v1", api_key="caller-key", max_retries=0)
    completion = client.chat.completions.create(model="smart", messages=QUESTION)
    expected = recorded(up, stream=False)
    assert completion.choices[0].message.content == expected.text
    assert completion.model == "smart"
    assert completion.usage is not None
    assert completion.usage.completion_tokens == expected.usage.output_tokens
    assert up.served[0].body["model"] == "claude-haiku-4-5"


def test_an_openai_client_streams_from_claude(claude: tuple[Upstream, str]) -> None:
    up, url = claude
    client = openai.OpenAI(base_url=url + "/v1", api_key="caller-key", max_retries=0)
    chunks = list(
        client.chat.completions.create(
            model="smart",
            messages=QUESTION,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    expected = recorded(up, stream=True)
    assert text == expected.text
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.prompt_tokens == expected.usage.input_tokens


def test_an_anthropic_client_is_answered_by_gpt(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    client = anthropic.Anthropic(base_url=url, api_key="caller-key", max_retries=0)
    message = client.messages.create(model="fast", max_tokens=100, messages=ASK_CLAUDE)
    expected = recorded(up, stream=False)
    assert [block.type for block in message.content] == ["text"]
    assert message.content[0].text == expected.text  # type: ignore[union-attr]
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens == expected.usage.output_tokens


def test_an_anthropic_client_streams_from_gpt(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    client = anthropic.Anthropic(base_url=url, api_key="caller-key", max_retries=0)
    with client.messages.stream(model="fast", max_tokens=100, messages=ASK_CLAUDE) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == recorded(up, stream=True).text
    assert final.stop_reason == "end_turn"


def test_an_unknown_model_is_a_404_in_each_format(gpt: tuple[Upstream, str]) -> None:
    _, url = gpt
    with pytest.raises(openai.NotFoundError, match="served models: fast"):
        openai.OpenAI(base_url=url + "/v1", api_key="k", max_retries=0).chat.completions.create(
            model="nope",
            messages=QUESTION,
        )
    with pytest.raises(anthropic.NotFoundError) as raised:
        anthropic.Anthropic(base_url=url, api_key="k", max_retries=0).messages.create(
            model="nope",
            max_tokens=10,
            messages=ASK_CLAUDE,
        )
    assert raised.value.body["error"]["type"] == "not_found_error"  # type: ignore[index]


def test_an_upstream_429_stays_a_429_with_its_retry_after(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    up.script(Status(429, retry_after=7))
    reply = httpx.post(url + "/v1/chat/completions", json={"model": "fast", "messages": QUESTION})
    assert reply.status_code == 429
    assert reply.headers["retry-after"] == "7"
    assert reply.json()["error"]["type"] == "rate_limit_error"
    assert UPSTREAM_KEY not in reply.text


def test_a_stream_cut_upstream_ends_with_an_error_event_not_a_finish(
    gpt: tuple[Upstream, str],
) -> None:
    up, url = gpt
    up.script(Cut(after=3))
    body = {"model": "fast", "messages": QUESTION, "stream": True}
    with httpx.stream("POST", url + "/v1/chat/completions", json=body) as reply:
        assert reply.status_code == 200
        lines = [line for line in reply.iter_lines() if line.startswith("data:")]
    assert '"error"' in lines[-1]
    assert "[DONE]" not in "".join(lines)
    assert not any('"finish_reason":"stop"' in line for line in lines)


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"{not json", 400, "not JSON"),
        (b"[1, 2]", 400, "must be a JSON object"),
        (b'{"model": "fast"}', 400, "cannot be read"),
        (b'{"model": "fast", "messages": "' + b"x" * 2000 + b'"}', 413, "larger than 1000 bytes"),
    ],
)
def test_a_bad_body_gets_a_clear_4xx(content: bytes, status: int, words: str) -> None:
    with gpt_gateway(max_body=1000) as (up, url):
        reply = httpx.post(url + "/v1/chat/completions", content=content)
    assert reply.status_code == status
    assert words in reply.json()["error"]["message"]
    assert up.served == []


def test_models_lists_the_served_names(gpt: tuple[Upstream, str]) -> None:
    _, url = gpt
    models = openai.OpenAI(base_url=url + "/v1", api_key="k").models.list()
    assert [m.id for m in models] == ["fast"]


def test_a_stream_that_fails_before_its_first_event_gets_a_status(
    gpt: tuple[Upstream, str],
) -> None:
    up, url = gpt
    up.script(Status(429, retry_after=3))
    body = {"model": "fast", "messages": QUESTION, "stream": True}
    reply = httpx.post(url + "/v1/chat/completions", json=body)
    assert reply.status_code == 429
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["retry-after"] == "3"


def test_a_body_without_a_model_is_a_400_and_health_answers(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    reply = httpx.post(url + "/v1/messages", json={"messages": QUESTION, "max_tokens": 5})
    assert reply.status_code == 400
    assert reply.json()["error"]["type"] == "invalid_request_error"
    assert httpx.get(url + "/health").json() == {"status": "ok"}
    assert up.served == []


class BrokenModel:
    """Test double: a chat model with a bug, raising what no model should."""

    provider = "broken"

    async def complete(self, request: object) -> object:
        raise KeyError("sk-secret-in-a-dict")

    async def stream(self, request: object) -> AsyncGenerator[StreamEvent, None]:
        raise KeyError("sk-secret-in-a-dict")
        yield  # a generator all the same

    async def aclose(self) -> None:
        return None


@pytest.mark.parametrize("stream", [False, True])
def test_a_bug_is_a_500_that_tells_nothing_and_is_logged(
    stream: bool, caplog: pytest.LogCaptureFixture
) -> None:
    body = {"model": "broken", "messages": QUESTION, "stream": stream}
    with serving({"broken": BrokenModel()}) as url:  # type: ignore[dict-item]
        reply = httpx.post(url + "/v1/chat/completions", json=body)
    assert reply.status_code == 500
    assert "sk-secret" not in reply.text
    assert "unexpected error serving a call" in caplog.text


def test_openai_s_older_max_tokens_reaches_any_model(claude: tuple[Upstream, str]) -> None:
    up, url = claude
    body = {"model": "smart", "messages": QUESTION, "max_tokens": 7}
    assert httpx.post(url + "/v1/chat/completions", json=body).status_code == 200
    assert up.served[0].body["max_tokens"] == 7  # Anthropic's own field, from OpenAI's


def test_count_tokens_is_the_router_s_estimate_and_says_so(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    client = anthropic.Anthropic(base_url=url, api_key="k", max_retries=0)
    counted = client.messages.with_raw_response.count_tokens(model="fast", messages=ASK_CLAUDE)
    assert counted.headers["x-fluent-ai-token-count"] == "estimate"
    tokens = counted.parse().input_tokens
    assert 4 < tokens < 20  # a 30-character question and one message's overhead
    with pytest.raises(anthropic.NotFoundError):
        client.messages.count_tokens(model="nope", messages=ASK_CLAUDE)
    assert up.served == []  # counted here, never sent upstream
