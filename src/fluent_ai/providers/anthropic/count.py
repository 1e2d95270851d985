"""Anthropic's token counting: ``POST /v1/messages/count_tokens``.

The endpoint takes the prompt half of a Messages request (model, messages, system,
tools, tool choice, thinking and the output settings that add to the prompt) and
answers ``{"input_tokens": N}``. It refuses the answer's settings (``max_tokens``,
``stream``, ``temperature``…) as unknown fields, so the body is the Messages body
:func:`~fluent_ai.providers.anthropic.encode.encode_request` writes with only the
fields the endpoint takes: the count is of exactly the prompt a call would send.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.anthropic.encode import encode_request
from fluent_ai.providers.counting import read_count
from fluent_ai.types import ChatRequest

COUNT_PATH = "/v1/messages/count_tokens"

COUNTED_FIELDS = frozenset(
    {
        "model",
        "messages",
        "system",
        "tools",
        "tool_choice",
        "thinking",
        "mcp_servers",
        "output_config",
        "output_format",
        "context_management",
        "cache_control",
    }
)
"""The Messages fields the counting endpoint takes (Anthropic's API reference)."""


def encode_count_request(request: ChatRequest) -> dict[str, Any]:
    body = encode_request(request, stream=False)
    return {key: value for key, value in body.items() if key in COUNTED_FIELDS}


def decode_count_response(body: Mapping[str, Any]) -> int:
    return read_count(body, "input_tokens", provider="anthropic")
