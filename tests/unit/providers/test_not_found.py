"""A vendor's 404 for a mistyped model name says "did you mean …", over loopback HTTP.

The 404 bodies are the vendors' own: Groq's and Anthropic's are recorded, OpenAI's
(which Groq copies) is served in the recorded Groq shape at OpenAI's path.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.support.cassettes import Interaction, load, recordings_dir
from tests.support.replay import replay_server

from fluent_ai.providers.catalog import chat_model
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import ChatRequest, Message, ModelNotFoundError, NotFoundError


def recorded(folder: str, name: str) -> Interaction:
    path: Path = recordings_dir() / folder / name
    if not path.exists():
        pytest.skip(f"{path} is missing: set FLUENT_AI_RECORDINGS")
    return load(path)[0]


def openai_404(model: str) -> Interaction:
    """OpenAI's model_not_found answer, in the recorded (Groq, OpenAI-shaped) body."""
    item = recorded("groq", "test_groq__test_tool_regular_error.yaml")
    body = {
        "error": {
            "message": f"The model `{model}` does not exist or you do not have access to it.",
            "type": "invalid_request_error",
            "param": None,
            "code": "model_not_found",
        }
    }
    return dataclasses.replace(item, path="/v1/chat/completions", response_body=body)


async def ask(
    spec: str, served: Interaction, *, prefix: str = "/v1", stream: bool = False
) -> NotFoundError:
    """The error ``spec`` gets from ``served``; ``prefix`` is the path of the base URL."""
    model = spec.partition("/")[2]
    request = ChatRequest(model=model, messages=[Message.user("hi")])
    with replay_server([served]) as server:
        chat = chat_model(spec, api_key="test-key-123456", base_url=server.base_url + prefix)
        assert isinstance(chat, HttpChatModel)
        call = chat.stream_response if stream else chat.complete
        with pytest.raises(NotFoundError) as info:
            await call(request)
    assert not server.errors, server.errors
    return info.value


@pytest.mark.parametrize("stream", [False, True])
async def test_a_typo_gets_the_name_it_was_meant_to_be(stream: bool) -> None:
    error = await ask("openai/gpt-4oo", openai_404("gpt-4oo"), stream=stream)
    assert isinstance(error, ModelNotFoundError)
    assert error.suggestions[0] == "openai/gpt-4o"
    assert "The model `gpt-4oo` does not exist" in str(error)  # the vendor's word first
    assert str(error).index("does not exist") < str(error).index("did you mean openai/gpt-4o")
    assert (error.status, error.provider, error.code) == (404, "openai", "model_not_found")


async def test_the_recorded_groq_answer_with_a_typo() -> None:
    item = recorded("groq", "test_groq__test_tool_regular_error.yaml")
    error = await ask("groq/llama-3.3-70b-versatil", item, prefix="/openai/v1")
    assert isinstance(error, ModelNotFoundError)
    assert "groq/llama-3.3-70b-versatile" in error.suggestions
    assert "does not exist or you do not have access to it" in str(error)


async def test_the_recorded_anthropic_answer_with_a_typo() -> None:
    item = recorded("anthropic", "test_anthropic__test_anthropic_count_tokens_error.yaml")
    served = dataclasses.replace(item, path="/v1/messages")
    error = await ask("anthropic/claude-sonet-4-5", served, prefix="")
    assert isinstance(error, ModelNotFoundError)
    assert error.suggestions[0] == "anthropic/claude-sonnet-4-5"
    assert "model: claude-does-not-exist" in str(error)


async def test_no_close_name_leaves_the_vendors_error_alone() -> None:
    item = recorded("groq", "test_groq__test_tool_regular_error.yaml")  # model `non-existent`
    error = await ask("groq/non-existent", item, prefix="/openai/v1")
    assert type(error) is NotFoundError
    assert "did you mean" not in str(error)
    assert "The model `non-existent` does not exist" in str(error)


async def test_a_404_for_a_known_model_suggests_nothing() -> None:
    """A known name that 404s is a wrong base URL or missing access: no name fixes that."""
    error = await ask("openai/gpt-4o", openai_404("gpt-4o"))
    assert type(error) is NotFoundError


async def test_a_server_the_registry_does_not_list_gets_no_suggestions() -> None:
    served = openai_404("gpt-4oo")
    with replay_server([served]) as server:
        chat = chat_model("openai-compatible/gpt-4oo", base_url=server.base_url + "/v1")
        request = ChatRequest(model="gpt-4oo", messages=[Message.user("hi")])
        with pytest.raises(NotFoundError) as info:
            await chat.complete(request)
    assert type(info.value) is NotFoundError


def test_suggestions_read_as_a_question() -> None:
    one = ModelNotFoundError("not found", suggestions=["openai/gpt-4o"])
    assert one.message == "not found; did you mean openai/gpt-4o?"
    two = ModelNotFoundError("not found", suggestions=["a/x", "a/y", "a/z"])
    assert two.message == "not found; did you mean a/x, a/y or a/z?"
