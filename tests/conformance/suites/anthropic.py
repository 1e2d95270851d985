"""The Anthropic Messages recordings, and what their raw bodies say the answer is.

``expected`` reads the bodies the plain way, without the translator: whole responses
by their ``content`` blocks, streams by their ``data:`` lines joined per block index.
The answer's text is the text blocks joined, with a blank line where a server tool's
blocks (anything but text, thinking and tool calls) stand between two of them.
"""

from __future__ import annotations

import json
from typing import Any

from fluent_ai.providers.anthropic import ANTHROPIC, AnthropicProtocol
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
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}

ERRORS: dict[str, type[FluentAIError]] = {
    "invalid_request_error": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "rate_limit_error": RateLimitError,
    "api_error": ProviderUnavailableError,
    "overloaded_error": ProviderUnavailableError,
}


SPOKEN = frozenset({"thinking", "redacted_thinking", "tool_use"})
"""Block types an answer's reader sees as parts of their own."""


def is_chat(item: Interaction) -> bool:
    return item.method == "POST" and item.path == "/v1/messages"


def expected(item: Interaction) -> Expected:
    if item.status >= 400:
        return Expected(error=ERRORS[item.response_body["error"]["type"]])
    if isinstance(item.response_body, str):
        return _from_stream(item.response_body)
    return _from_message(item.response_body)


def answer(blocks: list[tuple[str, str]]) -> str:
    """The text blocks of ``(type, text)`` pairs joined; a blank line across server blocks."""
    text, apart = "", False
    for kind, piece in blocks:
        if kind != "text":
            apart = apart or (bool(text) and kind not in SPOKEN)
            continue
        while apart and not text.endswith("\n\n"):
            text += "\n"
        apart = False
        text += piece
    return text


def _from_message(body: dict[str, Any]) -> Expected:
    blocks = body["content"]
    return _with_usage(
        Expected(
            text=answer([(b["type"], b.get("text", "")) for b in blocks]),
            tool_calls=[(b["name"], b["input"]) for b in blocks if b["type"] == "tool_use"],
            thinking="".join(b["thinking"] for b in blocks if b["type"] == "thinking"),
            finish_reason=FINISH.get(body["stop_reason"], "other"),
        ),
        body["usage"],
    )


def _from_stream(text: str) -> Expected:
    events = [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:")]
    kinds: dict[int, str] = {}
    names: dict[int, str] = {}
    pieces: dict[int, list[str]] = {}
    usage: dict[str, Any] = {}
    stop_reason = None
    for event in events:
        if event["type"] == "message_start":
            usage.update(event["message"]["usage"])
        elif event["type"] == "content_block_start":
            block = event["content_block"]
            kinds[event["index"]] = block["type"]
            names[event["index"]] = block.get("name", "")
            pieces[event["index"]] = []
        elif event["type"] == "content_block_delta":
            delta = event["delta"]
            for field in ("text", "partial_json", "thinking"):
                if field in delta:
                    pieces[event["index"]].append(delta[field])
        elif event["type"] == "message_delta":
            usage.update({k: v for k, v in event["usage"].items() if v is not None})
            stop_reason = event["delta"]["stop_reason"]

    def joined(kind: str) -> list[tuple[int, str]]:
        return [(i, "".join(pieces[i])) for i in sorted(kinds) if kinds[i] == kind]

    return _with_usage(
        Expected(
            text=answer([(kinds[i], "".join(pieces[i])) for i in sorted(kinds)]),
            tool_calls=[(names[i], parse_args(t)) for i, t in joined("tool_use")],
            thinking="".join(t for _, t in joined("thinking")),
            finish_reason=FINISH.get(stop_reason or "", "other"),
        ),
        usage,
    )


def _with_usage(result: Expected, usage: dict[str, Any]) -> Expected:
    cached = usage.get("cache_read_input_tokens") or 0
    written = usage.get("cache_creation_input_tokens") or 0
    result.input_tokens = usage["input_tokens"] + cached + written
    result.output_tokens = usage["output_tokens"]
    result.cache_read_tokens = cached
    return result


SUITE = Suite(
    folder="anthropic",
    profile=ANTHROPIC,
    protocol=AnthropicProtocol(),
    is_chat=is_chat,
    expected=expected,
    # Every key of every recorded body survives decode -> encode unchanged.
    roundtrip_ignore=frozenset(),
)
