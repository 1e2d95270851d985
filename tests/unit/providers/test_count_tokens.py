"""Exact token counts from the vendors' counting endpoints, replayed from real traffic.

Each test sends a prompt through :meth:`HttpChatModel.count_tokens` to a loopback server
replaying a recorded ``count_tokens`` / ``countTokens`` call, and checks both the count
read back and that the body sent is the one the vendor was really sent.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from tests.support.cassettes import Interaction, load, recordings_dir
from tests.support.replay import replay_server

from fluent_ai.providers.anthropic import ANTHROPIC, AnthropicProtocol
from fluent_ai.providers.catalog import chat_model
from fluent_ai.providers.counting import CountingProtocol, TokenCounter, token_counter
from fluent_ai.providers.google import GOOGLE, GeminiProtocol, vertex_profile
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.providers.responses.count import COUNTED_FIELDS
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    Message,
    NotFoundError,
    ToolSpec,
    UnsupportedFeatureError,
)

FOX = "The quick brown fox jumps over the lazydog."
BETA = "/v1beta"
VERTEX = "/v1beta1/projects/pydantic-ai/locations/global/publishers/google"


def recorded(folder: str, name: str) -> tuple[Interaction, ...]:
    return load(recordings_dir() / folder / name)


def ask(model: str, text: str = FOX, **fields: Any) -> ChatRequest:
    return ChatRequest(model=model, messages=[Message.user(text)], **fields)


async def test_anthropic_counts_a_prompt_as_recorded() -> None:
    item = recorded(
        "anthropic", "test_anthropic__test_anthropic_model_usage_limit_not_exceeded.yaml"
    )
    with replay_server(item[:1]) as replay:
        model = HttpChatModel(ANTHROPIC, AnthropicProtocol(), api_key="k", base_url=replay.base_url)
        async with model:
            assert await model.count_tokens(ask("claude-sonnet-4-5", max_tokens=50)) == 19
    [sent] = replay.received
    assert sent.path == "/v1/messages/count_tokens"
    assert sent.body == item[0].request_body  # no max_tokens, no stream: the prompt alone
    assert sent.headers["x-api-key"] == "k"


async def test_anthropic_s_refusal_is_a_typed_error() -> None:
    item = recorded("anthropic", "test_anthropic__test_anthropic_count_tokens_error.yaml")
    with replay_server(item) as replay:
        model = chat_model("anthropic/claude-does-not-exist", api_key="k", base_url=replay.base_url)
        async with model:
            assert isinstance(model, HttpChatModel)
            with pytest.raises(NotFoundError, match="model: claude-does-not-exist") as raised:
                await model.count_tokens(ask("claude-does-not-exist", "hello"))
    assert raised.value.status == 404
    assert raised.value.provider == "anthropic"


async def test_anthropic_counts_tools_and_the_system_prompt_too() -> None:
    tool = ToolSpec(name="weather", description="Weather in a city", parameters={"type": "object"})
    request = ask("claude-sonnet-4-5", system="Be brief.", tools=[tool], temperature=0.5)
    body = AnthropicProtocol().encode_count_request(request)
    assert set(body) == {"model", "messages", "system", "tools"}
    assert body["tools"][0]["name"] == "weather"


async def test_gemini_counts_the_contents_alone_in_the_short_form() -> None:
    item = recorded("google", "test_google__test_google_model_usage_limit_not_exceeded.yaml")
    with replay_server(item[:1]) as replay:
        model = chat_model("google/gemini-2.5-flash", api_key="k", base_url=replay.base_url + BETA)
        async with model:
            assert isinstance(model, HttpChatModel)
            assert await model.count_tokens(ask("gemini-2.5-flash", max_tokens=9)) == 12
    [sent] = replay.received
    assert sent.path == "/v1beta/models/gemini-2.5-flash:countTokens"
    assert sent.body == item[0].request_body


def test_gemini_counts_a_system_prompt_and_tools_in_a_whole_request() -> None:
    tool = ToolSpec(name="weather", description="Weather in a city", parameters={"type": "object"})
    request = ask("gemini-2.5-flash", system="Be brief.", tools=[tool])
    protocol = GeminiProtocol()
    body = protocol.encode_count_request(request)
    whole = body["generateContentRequest"]
    assert set(body) == {"generateContentRequest"}  # never contents beside it
    assert whole["model"] == "models/gemini-2.5-flash"
    assert whole["systemInstruction"]["parts"] == [{"text": "Be brief."}]
    assert whole["tools"][0]["functionDeclarations"][0]["name"] == "weather"
    assert protocol.count_path(request) == "/models/gemini-2.5-flash:countTokens"
    with pytest.raises(UnsupportedFeatureError, match="needs the model's name"):
        protocol.encode_count_request(request.model_copy(update={"model": ""}))


async def test_vertex_counts_with_the_system_instruction_and_tools_at_the_top() -> None:
    item = recorded(
        "google-vertex", "test_google__test_google_vertexai_count_tokens_forwards_native_tools.yaml"
    )
    with replay_server(item[:1]) as replay:
        profile = vertex_profile("pydantic-ai", "global")
        model = HttpChatModel(
            profile,
            GeminiProtocol("google-vertex"),
            api_key="token",
            base_url=replay.base_url + VERTEX,
        )
        request = ask(
            "gemini-2.5-flash",
            "What is the capital of France?",
            system="You are a helpful chatbot.",
            extra={"tools": [{"googleSearch": {}}]},
        )
        async with model:
            assert await model.count_tokens(request) == 13
    [sent] = replay.received
    assert sent.path == item[0].path
    expected = {k: v for k, v in item[0].request_body.items() if k != "generationConfig"}
    assert sent.body == expected  # the recorded call also sent an empty generationConfig


async def test_a_vendor_with_no_counting_endpoint_is_not_a_counter() -> None:
    model = chat_model("openai/gpt-4o", api_key="k")
    assert isinstance(model, HttpChatModel)
    assert not isinstance(model.protocol, CountingProtocol)
    assert token_counter(model) is None
    with pytest.raises(UnsupportedFeatureError, match="openai has no token-counting endpoint"):
        await model.count_tokens(ask("gpt-4o"))
    for counting in ("anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash"):
        assert isinstance(token_counter(chat_model(counting, api_key="k")), TokenCounter)


async def test_an_answer_with_no_count_is_a_bad_response() -> None:
    item = recorded("google", "test_google__test_google_model_usage_limit_not_exceeded.yaml")
    answer = dataclasses.replace(item[1], path=item[0].path)  # generateContent's, not a count
    with replay_server([answer]) as replay:
        model = HttpChatModel(
            GOOGLE, GeminiProtocol(), api_key="k", base_url=replay.base_url + BETA
        )
        async with model:
            with pytest.raises(BadResponseError, match="expected a token count in 'totalTokens'"):
                await model.count_tokens(ask("gemini-2.5-flash"))


async def test_openai_responses_counts_at_input_tokens() -> None:
    [item] = recorded("openai-responses", "test_openai_responses__test_responses_count_tokens.yaml")
    request = ask("gpt-4.1-mini", "", system="Follow the system instructions.", max_tokens=100)
    with replay_server([item]) as replay:
        model = chat_model(
            "openai-responses/gpt-4.1-mini", api_key="k", base_url=replay.base_url + "/v1"
        )
        assert isinstance(model, HttpChatModel)
        assert token_counter(model) is model
        async with model:
            assert await model.count_tokens(request) == 16
    [sent] = replay.received
    assert sent.path == "/v1/responses/input_tokens"
    assert sent.body["model"] == "gpt-4.1-mini"
    assert sent.body["instructions"] == "Follow the system instructions."
    assert set(sent.body) <= COUNTED_FIELDS  # no max_output_tokens, stream or store


def test_only_openai_counts_through_the_responses_api() -> None:
    for vendor in ("openrouter-responses", "deepseek-responses"):
        assert token_counter(chat_model(f"{vendor}/some-model", api_key="k")) is None
