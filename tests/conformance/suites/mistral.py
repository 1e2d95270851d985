"""Mistral's chat recordings, read independently of the translator.

``expected`` reads the raw bodies the plain way: the first choice's message (content as
a string or as chunks, ``thinking`` chunks being the reasoning), or the streamed
``data:`` lines joined; the last usage object, with the cached count from
``prompt_tokens_details`` or the older ``num_cached_tokens``; the finish reason through
a five-entry table; and for an error the class its status calls for. It shares no code
with :mod:`fluent_ai.providers.mistral`.
"""

from __future__ import annotations

import json
from typing import Any

from fluent_ai.providers.mistral import MISTRAL, MistralProtocol
from fluent_ai.types import (
    AuthenticationError,
    FluentAIError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    ProviderUnavailableError,
    RateLimitError,
)
from tests.conformance.suite import Expected, Suite, parse_args
from tests.support.cassettes import Interaction

FINISH = {
    "stop": "stop",
    "length": "length",
    "model_length": "length",
    "tool_calls": "tool_calls",
    "error": "error",
}
STATUS_ERRORS: dict[int, type[FluentAIError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def is_chat(item: Interaction) -> bool:
    return item.method == "POST" and item.path.endswith("/chat/completions")


def expected(item: Interaction) -> Expected:
    if item.status >= 400:
        if item.status >= 500:
            return Expected(error=ProviderUnavailableError)
        return Expected(error=STATUS_ERRORS.get(item.status, InvalidRequestError))
    if item.is_stream:
        return _streamed(item.response_text)
    return _whole(item.response_body)


def _split(content: Any) -> tuple[str, str]:
    """(text, thinking) of a content value: a string, or a list of chunks."""
    if isinstance(content, str):
        return content, ""
    text = thinking = ""
    for chunk in content or []:
        if chunk["type"] == "text":
            text += chunk["text"]
        elif chunk["type"] == "thinking":
            thinking += "".join(inner["text"] for inner in chunk["thinking"])
    return text, thinking


def _whole(body: dict[str, Any]) -> Expected:
    choice = body["choices"][0]
    message = choice["message"]
    text, thinking = _split(message.get("content"))
    calls = [
        (c["function"]["name"], parse_args(c["function"]["arguments"]))
        for c in message.get("tool_calls") or []
    ]
    return Expected(
        text=text,
        thinking=thinking,
        tool_calls=calls,
        finish_reason=FINISH.get(choice["finish_reason"], "other"),
        **_usage(body["usage"]),
    )


def _streamed(raw: str) -> Expected:
    text = thinking = ""
    finish = None
    usage: dict[str, Any] = {}
    calls: list[tuple[str, Any]] = []
    for line in raw.splitlines():
        if not line.startswith("data:") or line[5:].strip() == "[DONE]":
            continue
        chunk = json.loads(line[5:])
        usage = chunk.get("usage") or usage
        for choice in chunk["choices"]:
            piece, thought = _split(choice["delta"].get("content"))
            text, thinking = text + piece, thinking + thought
            for call in choice["delta"].get("tool_calls") or []:
                calls.append((call["function"]["name"], parse_args(call["function"]["arguments"])))
            if choice.get("finish_reason"):
                finish = FINISH.get(choice["finish_reason"], "other")
    return Expected(
        text=text, thinking=thinking, tool_calls=calls, finish_reason=finish, **_usage(usage)
    )


def _usage(usage: dict[str, Any]) -> dict[str, Any]:
    details = usage.get("prompt_tokens_details") or {}
    return {
        "input_tokens": usage["prompt_tokens"],
        "output_tokens": usage["completion_tokens"],
        "cache_read_tokens": details.get("cached_tokens") or usage.get("num_cached_tokens") or 0,
    }


SUITE = Suite(
    folder="mistral",
    profile=MISTRAL,
    protocol=MistralProtocol(),
    is_chat=is_chat,
    expected=expected,
    roundtrip_ignore=frozenset(
        {
            # Carried, but spelled one way: the neutral Message does not record whether a
            # lone text part came as a string or a one-chunk list, `content: []` versus
            # absent, `prefix: false` (recomputed: true only on a trailing assistant
            # turn), `tool_calls: []`, or a tool call's `index`; the recordings use both
            # spellings. The exact round trip of every recorded `messages`, modulo exactly
            # those spellings, is asserted in
            # tests/unit/providers/mistral/test_mistral_recorded_roundtrip.py.
            "messages",
        }
    ),
)
