"""OpenAI Chat Completions recordings, read independently of the translator.

``expected`` is a plain reading of the raw body written for the test: the first choice's
message (or the streamed deltas joined), the last usage object, the finish reason
through a five-entry table, and for an error the class its status (and code) calls for.
It shares no code with :mod:`fluent_ai.providers.openai`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fluent_ai.providers.openai import PROFILES, OpenAIChatProtocol
from fluent_ai.types import (
    AuthenticationError,
    ContextLengthExceededError,
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
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}
STATUS_ERRORS: dict[int, type[FluentAIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def is_chat(item: Interaction) -> bool:
    return item.method == "POST" and item.path.endswith("/chat/completions")


def error_class(status: int, error: dict[str, Any]) -> type[FluentAIError]:
    if error.get("code") == "context_length_exceeded":
        return ContextLengthExceededError
    if status >= 500:
        return ProviderUnavailableError
    return STATUS_ERRORS.get(status, InvalidRequestError)


def expected(
    item: Interaction, *, usage_envelope: str | None = None, think_tags: bool = False
) -> Expected:
    """What the recorded body says.

    ``usage_envelope`` names Groq's ``x_groq`` copy of the usage; ``think_tags`` reads a
    leading ``<think>`` block of the answer as thinking.
    """
    if item.status >= 400:
        body = item.response_body
        error = body.get("error", {}) if isinstance(body, dict) else {}
        return Expected(error=error_class(item.status, error))
    result = (
        _streamed(item.response_text, usage_envelope)
        if item.is_stream
        else _whole(item.response_body)
    )
    tagged = re.fullmatch(r"\s*<think>(.*?)(?:</think>\s*(.*))?", result.text, re.DOTALL)
    if think_tags and tagged:
        result.thinking, result.text = tagged[1], tagged[2] or ""
    return result


def _whole(body: dict[str, Any]) -> Expected:
    choice = body["choices"][0]
    message = choice["message"]
    calls = [
        (c["function"]["name"], parse_args(c["function"].get("arguments") or ""))
        for c in message.get("tool_calls") or []
    ]
    return Expected(
        text=message.get("content") or "",
        tool_calls=calls,
        thinking=message.get("reasoning_content") or message.get("reasoning") or "",
        finish_reason=FINISH.get(choice.get("finish_reason") or ""),
        **_usage(body.get("usage")),
    )


def _streamed(text: str, usage_envelope: str | None) -> Expected:
    content, thinking, finish = "", "", None
    names: dict[int, str] = {}
    args: dict[int, str] = {}
    usage = None
    for line in text.splitlines():
        if not line.startswith("data:") or line[5:].strip() == "[DONE]":
            continue
        chunk = json.loads(line[5:])
        if "error" in chunk:
            status = chunk["error"].get("status_code") or chunk["error"].get("code")
            return Expected(error=error_class(int(status), chunk["error"]))
        envelope = chunk.get(usage_envelope, {}) if usage_envelope else {}
        usage = chunk.get("usage") or envelope.get("usage") or usage
        for choice in chunk.get("choices", []):
            delta = choice.get("delta", {})
            content += delta.get("content") or ""
            thinking += delta.get("reasoning_content") or delta.get("reasoning") or ""
            for call in delta.get("tool_calls") or []:
                names.setdefault(call["index"], call["function"].get("name", ""))
                args[call["index"]] = args.get(call["index"], "") + (
                    call["function"].get("arguments") or ""
                )
            finish = FINISH.get(choice.get("finish_reason") or "", finish)
    calls = [(names[i], parse_args(args.get(i, ""))) for i in sorted(names)]
    return Expected(
        text=content, tool_calls=calls, thinking=thinking, finish_reason=finish, **_usage(usage)
    )


def _usage(usage: dict[str, Any] | None) -> dict[str, Any]:
    if not usage:
        return {}
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens")
    return {
        "input_tokens": usage["prompt_tokens"],
        "output_tokens": usage["completion_tokens"],
        "cache_read_tokens": cached,
    }


SUITE = Suite(
    folder="openai",
    profile=PROFILES["openai"],
    protocol=OpenAIChatProtocol(),
    is_chat=is_chat,
    expected=expected,
    roundtrip_ignore=frozenset(
        {
            # Carried, but spelled one way: the neutral Message does not record whether a
            # lone text part came as a string or a one-item list, nor null versus absent
            # content on a tool-call turn, and recordings use both. The exact round trip of
            # every recorded `messages`, modulo exactly those spellings, is asserted in
            # tests/unit/providers/openai/test_openai_recorded_roundtrip.py.
            "messages",
        }
    ),
)
