"""Cohere's v2 chat recordings, read independently of the translator.

``expected`` reads the raw bodies the plain way: ``message.content`` text items joined
for the answer; thinking is the ``thinking`` items followed by ``tool_plan`` (the plan
a tool-calling answer states first); tool calls by name and parsed arguments; usage
from ``usage.billed_units`` (what Cohere charges, and so what gets priced), with no
cache reads against billed units; the finish reason through a six-entry table. The
recordings hold no streams and no errors (the stream decoder and the error mapping are
covered by unit tests with bodies shaped per Cohere's documentation). It shares no
code with :mod:`fluent_ai.providers.cohere`.
"""

from __future__ import annotations

from typing import Any

from fluent_ai.providers.cohere import COHERE, CohereProtocol
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
    "COMPLETE": "stop",
    "STOP_SEQUENCE": "stop",
    "MAX_TOKENS": "length",
    "TOOL_CALL": "tool_calls",
    "ERROR": "error",
    "TIMEOUT": "error",
}
STATUS_ERRORS: dict[int, type[FluentAIError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
    498: AuthenticationError,
}


def is_chat(item: Interaction) -> bool:
    return item.method == "POST" and item.path == "/v2/chat"


def expected(item: Interaction) -> Expected:
    if item.status >= 400:
        if item.status >= 500:
            return Expected(error=ProviderUnavailableError)
        return Expected(error=STATUS_ERRORS.get(item.status, InvalidRequestError))
    body: dict[str, Any] = item.response_body
    message = body["message"]
    items = message.get("content") or []
    usage = body["usage"]
    return Expected(
        text="".join(i["text"] for i in items if i["type"] == "text"),
        thinking="".join(i["thinking"] for i in items if i["type"] == "thinking")
        + (message.get("tool_plan") or ""),
        tool_calls=[
            (c["function"]["name"], parse_args(c["function"]["arguments"]))
            for c in message.get("tool_calls") or []
        ],
        input_tokens=usage["billed_units"]["input_tokens"],
        output_tokens=usage["billed_units"]["output_tokens"],
        cache_read_tokens=0,
        finish_reason=FINISH.get(body["finish_reason"], "other"),
    )


SUITE = Suite(
    folder="cohere",
    profile=COHERE,
    protocol=CohereProtocol(),
    is_chat=is_chat,
    expected=expected,
    # Every key of every recorded body, messages included, survives decode -> encode.
    roundtrip_ignore=frozenset(),
)
