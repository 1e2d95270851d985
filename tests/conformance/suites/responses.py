"""OpenAI Responses API recordings (OpenAI, OpenRouter, DeepSeek), read independently.

``expected`` reads the raw bodies the plain way, sharing no code with
:mod:`fluent_ai.providers.responses`: a whole body by its ``output`` items, a stream by
its ``data:`` lines (text, argument and reasoning deltas joined; the usage and status
from the event that ends it). Thinking is each reasoning part's text, with a blank line
between two parts that no text or tool call separates; ``finish_reason`` comes from
``status`` through a small table.
"""

from __future__ import annotations

import json
from typing import Any

from fluent_ai.providers.responses import PROFILES, protocol_for
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

FOLDERS = {
    "openai-responses": "openai",
    "openrouter-responses": "openrouter",
    "deepseek-responses": "deepseek",
}
INCOMPLETE = {"max_output_tokens": "length", "content_filter": "content_filter"}
STATUS_ERRORS: dict[int, type[FluentAIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}
ENDS = ("response.completed", "response.incomplete", "response.failed")


def is_chat(item: Interaction) -> bool:
    """Only creating a response: not ``GET /responses/{id}`` nor ``/responses/input_tokens``."""
    return item.method == "POST" and item.path.endswith("/responses")


def expected(item: Interaction) -> Expected:
    if item.status >= 400:
        error = item.response_body.get("error") or {}
        if error.get("code") == "context_length_exceeded":
            return Expected(error=ContextLengthExceededError)
        if item.status >= 500:
            return Expected(error=ProviderUnavailableError)
        return Expected(error=STATUS_ERRORS.get(item.status, InvalidRequestError))
    if isinstance(item.response_body, str):
        return _streamed(item.response_body)
    return _whole(item.response_body)


class _Reading:
    """Text, thinking and tool calls, in the order they arrive."""

    def __init__(self) -> None:
        self.text = ""
        self.thinking = ""
        self.calls: dict[int, list[str]] = {}  # output index -> [name, arguments]
        self.last_block: tuple[int, str, int] | None = None
        self.thinking_last = False

    def add_text(self, text: str) -> None:
        if text:
            self.text += text
            self.thinking_last = False

    def add_thinking(self, block: tuple[int, str, int], text: str) -> None:
        if not text:
            return
        if block != self.last_block and self.thinking_last:
            self.thinking += "\n\n"
        self.last_block = block
        self.thinking += text
        self.thinking_last = True

    def add_call(self, index: int, name: str) -> None:
        self.calls[index] = [name, ""]
        self.thinking_last = False

    def result(self, response: dict[str, Any]) -> Expected:
        usage = response.get("usage") or {}
        status = response.get("status")
        if status == "completed":
            finish = "tool_calls" if self.calls else "stop"
        elif status == "incomplete":
            reason = str((response.get("incomplete_details") or {}).get("reason"))
            finish = INCOMPLETE.get(reason, "other")
        else:
            finish = "other"
        return Expected(
            text=self.text,
            tool_calls=[(name, parse_args(args)) for name, args in self.calls.values()],
            thinking=self.thinking,
            finish_reason=finish,
            input_tokens=usage.get("input_tokens"),
            output_tokens=usage.get("output_tokens"),
            cache_read_tokens=(usage.get("input_tokens_details") or {}).get("cached_tokens"),
        )


def _whole(body: dict[str, Any]) -> Expected:
    reading = _Reading()
    for index, item in enumerate(body["output"]):
        if item["type"] == "message":
            for part in item["content"]:
                if part["type"] == "output_text":
                    reading.add_text(part["text"])
        elif item["type"] == "reasoning":
            for number, part in enumerate(item.get("summary") or []):
                reading.add_thinking((index, "summary", number), part["text"])
            for number, part in enumerate(item.get("content") or []):
                reading.add_thinking((index, "content", number), part["text"])
        elif item["type"] == "function_call":
            reading.add_call(index, item["name"])
            reading.calls[index][1] = item["arguments"]
    return reading.result(body)


def _streamed(text: str) -> Expected:
    reading = _Reading()
    final: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.startswith("data:") or line[5:].strip() == "[DONE]":
            continue
        event = json.loads(line[5:])
        kind = event["type"]
        if kind == "response.output_text.delta":
            reading.add_text(event["delta"])
        elif kind == "response.reasoning_summary_text.delta":
            block = (event["output_index"], "summary", event["summary_index"])
            reading.add_thinking(block, event["delta"])
        elif kind == "response.reasoning_text.delta":
            block = (event["output_index"], "content", event["content_index"])
            reading.add_thinking(block, event["delta"])
        elif kind == "response.output_item.added" and event["item"]["type"] == "function_call":
            reading.add_call(event["output_index"], event["item"]["name"])
        elif kind == "response.function_call_arguments.delta":
            reading.calls[event["output_index"]][1] += event["delta"]
        elif kind in ENDS:
            final = event["response"]
    return reading.result(final)


SUITES: list[Suite] = [
    Suite(
        folder=folder,
        profile=PROFILES[name],
        protocol=protocol_for(name),
        is_chat=is_chat,
        expected=expected,
        # Every key of every recorded body survives decode -> encode unchanged.
        roundtrip_ignore=frozenset(),
    )
    for folder, name in FOLDERS.items()
]
