"""A request the registry knows a model cannot serve fails before anything is sent."""

from __future__ import annotations

import pytest

from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import ChatRequest, ImagePart, Message, ToolSpec, UnsupportedFeatureError

# Port 9 (discard) on loopback: nothing listens, so a request that got sent would fail
# with a ConnectionError instead of the error under test.
NOWHERE = "http://127.0.0.1:9/v1"


def image_request(model: str) -> ChatRequest:
    picture = ImagePart(url="https://example.com/cat.png")
    return ChatRequest(model=model, messages=[Message.user("What is this?", picture)])


async def test_image_to_a_text_only_model_is_refused_before_sending() -> None:
    model = chat_model("openai/gpt-3.5-turbo", api_key="sk-test", base_url=NOWHERE)
    with pytest.raises(UnsupportedFeatureError) as info:
        await model.complete(image_request("gpt-3.5-turbo"))
    assert info.value.provider == "openai"
    assert "openai/gpt-3.5-turbo" in str(info.value)
    assert "image input" in str(info.value)


async def test_tools_to_a_model_without_tool_calling_are_refused_when_streaming() -> None:
    model = chat_model("groq/groq/compound", api_key="sk-test", base_url=NOWHERE)
    request = ChatRequest(
        model="groq/compound",
        messages=[Message.user("hi")],
        tools=[ToolSpec(name="lookup")],
    )
    with pytest.raises(UnsupportedFeatureError, match="tool calling"):
        async for _ in model.stream(request):
            pass


async def test_a_model_the_registry_does_not_know_is_let_through() -> None:
    from fluent_ai.types import ConnectionError

    model = chat_model("openai/gpt-99-preview", api_key="sk-test", base_url=NOWHERE)
    with pytest.raises(ConnectionError):  # it was sent: nothing refused it beforehand
        await model.complete(image_request("gpt-99-preview"))
