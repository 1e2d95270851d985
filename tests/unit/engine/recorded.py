"""Recorded calls the engine tests replay, and the requests that ask for them.

A Gemini stream (three text messages, temperature 0) and an OpenAI Chat Completions
answer, both real traffic from ``../shared/recordings``; the replay server matches by
path only, so any request to the same endpoint gets the recorded answer.
"""

from __future__ import annotations

import dataclasses

from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import ChatRequest, Message
from tests.support.cassettes import Interaction, load, recordings_dir

QUESTION = "What is the capital of France?"


def gemini_stream() -> Interaction:
    path = recordings_dir() / "google" / "test_google__test_google_model_stream.yaml"
    return load(path)[0]


def openai_answer() -> Interaction:
    path = recordings_dir() / "openai" / "test_openai__test_valid_response.yaml"
    return load(path)[0]


def failing(item: Interaction, status: int = 400) -> Interaction:
    """``item`` answered with a client error, which no layer retries."""
    body = {"error": {"code": status, "message": "Invalid value at 'contents'", "status": "BAD"}}
    headers = {"content-type": ["application/json"]}
    return dataclasses.replace(item, status=status, response_body=body, response_headers=headers)


def cut_short(item: Interaction) -> Interaction:
    """``item``'s stream without its last message: the stream breaks before its finish."""
    body = item.response_body
    assert isinstance(body, str)
    return dataclasses.replace(item, response_body=body[: body.rindex("data:")])


def gemini(base_url: str) -> ChatModel:
    return chat_model(
        "google/gemini-2.0-flash-exp", api_key="test-key", base_url=base_url + "/v1beta"
    )


def openai(base_url: str) -> ChatModel:
    return chat_model("openai/gpt-4o", api_key="test-key", base_url=base_url + "/v1")


def gemini_request(text: str = QUESTION, **settings: object) -> ChatRequest:
    fields: dict[str, object] = {"temperature": 0.0} | settings
    return ChatRequest.model_validate(
        {
            "model": "gemini-2.0-flash-exp",
            "system": "You are a helpful chatbot.",
            "messages": [Message.user(text)],
            **fields,
        }
    )


def openai_request(text: str = QUESTION, **settings: object) -> ChatRequest:
    fields: dict[str, object] = {"temperature": 0.0} | settings
    return ChatRequest.model_validate(
        {"model": "gpt-4o", "messages": [Message.user(text)], **fields}
    )
