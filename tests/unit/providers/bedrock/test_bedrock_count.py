"""Bedrock's ``count-tokens``, replayed from real traffic through a loopback server."""

from __future__ import annotations

import dataclasses

import pytest
from tests.support.cassettes import Interaction, load, recordings_dir
from tests.support.replay import replay_server

from fluent_ai.providers.bedrock import BedrockConverseProtocol, bedrock_profile
from fluent_ai.providers.counting import token_counter
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import ChatRequest, InvalidRequestError, Message, ToolChoice, ToolSpec

SONNET = "anthropic.claude-sonnet-4-20250514-v1:0"


def recorded(name: str) -> tuple[Interaction, ...]:
    return load(recordings_dir() / "bedrock" / name)


def bedrock(base_url: str) -> HttpChatModel:
    profile = bedrock_profile("us-east-1")
    return HttpChatModel(profile, BedrockConverseProtocol(), api_key="key", base_url=base_url)


async def test_bedrock_counts_a_prompt_with_its_tools_as_recorded() -> None:
    [item] = recorded("test_bedrock__test_bedrock_count_tokens_tool_config.yaml")
    weather = ToolSpec(
        name="get_weather",
        description="Get the weather for a location",
        parameters={"type": "object", "properties": {"location": {"type": "string"}}},
    )
    request = ChatRequest(
        model=SONNET,
        messages=[Message.user("What is the weather in Paris?")],
        tools=[weather],
        tool_choice=ToolChoice(mode="auto"),
        max_tokens=300,  # an answer's setting: not part of the count
        temperature=0.2,
    )
    with replay_server([item]) as replay:
        model = bedrock(replay.base_url)
        assert token_counter(model) is model
        async with model:
            assert await model.count_tokens(request) == 375
    [sent] = replay.received
    assert sent.path == "/model/anthropic.claude-sonnet-4-20250514-v1%3A0/count-tokens"
    converse = sent.body["input"]["converse"]
    expected = dict(item.request_body["input"]["converse"])
    if not expected.get("system"):  # the recorded client sent an empty list
        expected.pop("system", None)
    assert converse == expected
    assert sent.headers["authorization"] == "Bearer key"


async def test_a_model_that_cannot_count_is_bedrock_s_typed_refusal() -> None:
    [item] = recorded(
        "test_anthropic_bedrock_count_tokens__test_anthropic_bedrock_count_tokens_error.yaml"
    )
    request = ChatRequest(
        model="us.anthropic.claude-sonnet-4-20250514-v1:0", messages=[Message.user("hello")]
    )
    # Recorded with the model id's ":" as it is; the path is sent with it percent-encoded.
    item = dataclasses.replace(item, path=BedrockConverseProtocol().count_path(request))
    with replay_server([item]) as replay:
        async with bedrock(replay.base_url) as model:
            with pytest.raises(InvalidRequestError, match="doesn't support counting tokens"):
                await model.count_tokens(request)
