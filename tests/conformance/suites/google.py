"""The Gemini recordings (Gemini API and Vertex AI), read independently of the translator.

``expected`` reads the raw bodies the plain way: the first candidate's parts (a stream's
chunks split on their blank lines and the parts of every chunk taken in order), the last
``usageMetadata``, the last ``finishReason`` through a small table, and for an error the
class its gRPC status names. It shares no code with :mod:`fluent_ai.providers.google`.

Gemini names the model and the streaming method in the URL, not the body: ``is_stream``
reads the recorded path, and the decoded requests (whose bodies name no model) are sent
to the recorded path itself, which the harness keeps as the base URL.
"""

from __future__ import annotations

import json
from typing import Any

from fluent_ai.providers.google import GOOGLE, GeminiProtocol, vertex_profile
from fluent_ai.types import (
    AuthenticationError,
    ContentFilteredError,
    FluentAIError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    ProviderUnavailableError,
    RateLimitError,
)
from tests.conformance.suite import Expected, Suite
from tests.support.cassettes import Interaction

FINISH = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "MALFORMED_FUNCTION_CALL": "error",
}

ERRORS: dict[str, type[FluentAIError]] = {
    "INVALID_ARGUMENT": InvalidRequestError,
    "UNAUTHENTICATED": AuthenticationError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "NOT_FOUND": NotFoundError,
    "RESOURCE_EXHAUSTED": RateLimitError,
    "UNAVAILABLE": ProviderUnavailableError,
    "INTERNAL": ProviderUnavailableError,
}


def is_chat(item: Interaction) -> bool:
    """``generateContent`` and ``streamGenerateContent``; ``countTokens`` is not chat."""
    return item.method == "POST" and item.path.endswith(
        (":generateContent", ":streamGenerateContent")
    )


def is_stream(item: Interaction) -> bool:
    return item.path.endswith(":streamGenerateContent")


def expected(item: Interaction) -> Expected:
    if item.status >= 400:
        return Expected(error=ERRORS[item.response_body["error"]["status"]])
    if isinstance(item.response_body, str):
        chunks = [
            json.loads(event.strip().removeprefix("data:"))
            for event in item.response_body.split("\r\n\r\n")
            if event.strip()
        ]
    else:
        chunks = [item.response_body]
    return _read(chunks)


def _read(chunks: list[dict[str, Any]]) -> Expected:
    if any(chunk.get("promptFeedback", {}).get("blockReason") for chunk in chunks):
        return Expected(error=ContentFilteredError)
    parts: list[dict[str, Any]] = []
    finish = None
    for chunk in chunks:
        candidate = chunk["candidates"][0]
        parts.extend(candidate.get("content", {}).get("parts", []))
        finish = candidate.get("finishReason", finish)
    calls = [
        (p["functionCall"]["name"], p["functionCall"].get("args", {}))
        for p in parts
        if "functionCall" in p
    ]
    usage = chunks[-1]["usageMetadata"]
    thoughts = usage.get("thoughtsTokenCount", 0)
    return Expected(
        text="".join(p["text"] for p in parts if "text" in p and not p.get("thought")),
        thinking="".join(p["text"] for p in parts if p.get("thought")),
        tool_calls=calls,
        input_tokens=usage.get("promptTokenCount", 0) + usage.get("toolUsePromptTokenCount", 0),
        output_tokens=usage.get("candidatesTokenCount", 0) + thoughts,
        cache_read_tokens=usage.get("cachedContentTokenCount", 0),
        finish_reason="tool_calls"
        if calls and finish == "STOP"
        else FINISH.get(finish or "", "other"),
    )


SUITES = [
    Suite(
        folder=folder,
        profile=profile,
        protocol=GeminiProtocol(profile.name),
        is_chat=is_chat,
        expected=expected,
        is_stream=is_stream,
        # Every key of every recorded body survives decode -> encode unchanged.
        roundtrip_ignore=frozenset(),
    )
    for folder, profile in (
        ("google", GOOGLE),
        ("google-vertex", vertex_profile("recorded-project", "global")),
    )
]
