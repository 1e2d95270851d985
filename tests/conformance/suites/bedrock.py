"""The Bedrock Converse recordings, and what their raw bodies say the answer is.

``expected`` reads the bodies the plain way, without the translator: the text, tool
and reasoning blocks of ``output.message.content``. Input tokens are read as
``totalTokens - outputTokens``: Bedrock's total counts every prompt token, cached or
not, so this checks that the neutral count includes the cached ones.

Converse names the model in the URL, not the body; :func:`request_body` puts it back
as ``modelId``, the member name the Converse API reference gives it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from fluent_ai.providers.bedrock import BEDROCK, BedrockConverseProtocol
from fluent_ai.types import (
    AuthenticationError,
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
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
}

# The recorded errors carry no x-amzn-errortype header: the status decides.
ERRORS: dict[int, type[FluentAIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
    500: ProviderUnavailableError,
    503: ProviderUnavailableError,
}


def is_chat(item: Interaction) -> bool:
    """``/model/{id}/converse``; ``count-tokens`` and ``invoke`` are other endpoints."""
    return item.method == "POST" and item.path.endswith("/converse")


def request_body(item: Interaction) -> dict[str, Any]:
    """The recorded body with the model id from the URL (``/model/{id}/converse``)."""
    return {**item.request_body, "modelId": unquote(item.path.split("/")[2])}


def expected(item: Interaction) -> Expected:
    if item.status >= 400:
        return Expected(error=ERRORS[item.status])
    body = item.response_body
    blocks = body["output"]["message"]["content"]
    uses = [b["toolUse"] for b in blocks if "toolUse" in b]
    reasoning = [
        b["reasoningContent"].get("reasoningText") or {} for b in blocks if "reasoningContent" in b
    ]
    usage = body["usage"]
    return Expected(
        text="".join(b["text"] for b in blocks if "text" in b),
        # Server tool calls (Nova's code interpreter) ran at Bedrock: not ours to run.
        tool_calls=[(u["name"], u["input"]) for u in uses if u.get("type") != "server_tool_use"],
        thinking="".join(r.get("text", "") for r in reasoning),
        input_tokens=usage["totalTokens"] - usage["outputTokens"],
        output_tokens=usage["outputTokens"],
        cache_read_tokens=usage.get("cacheReadInputTokens", 0),
        finish_reason=FINISH.get(body["stopReason"], "other"),
    )


SUITE = Suite(
    folder="bedrock",
    profile=BEDROCK,
    protocol=BedrockConverseProtocol(),
    is_chat=is_chat,
    expected=expected,
    request_body=request_body,
    # Every key of every recorded body survives decode -> encode unchanged, except the
    # model id request_body adds: the encoder puts it in the URL (path()), not the body.
    roundtrip_ignore=frozenset({"modelId"}),
    # Converse streams from another endpoint (converse-stream), never recorded here.
    is_stream=lambda item: item.path.endswith("/converse-stream"),
)
