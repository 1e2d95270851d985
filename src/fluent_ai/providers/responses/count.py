"""OpenAI's token counting for the Responses API: ``POST /responses/input_tokens``.

The endpoint takes the prompt half of a Responses request (model, input, instructions,
tools and what shapes how they are read) and answers ``{"object":
"response.input_tokens", "input_tokens": N}``. Only OpenAI serves it: the other vendors
of the Responses API (:data:`~fluent_ai.providers.responses.protocol.QUIRKS`) have no
such endpoint, so only OpenAI's protocol counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.counting import read_count

COUNT_PATH = "/responses/input_tokens"

COUNTED_FIELDS = frozenset(
    {
        "model",
        "input",
        "instructions",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "reasoning",
        "text",
        "truncation",
        "conversation",
        "previous_response_id",
    }
)
"""The Responses fields the counting endpoint takes (OpenAI's API reference)."""


def counted(body: Mapping[str, Any]) -> dict[str, Any]:
    """A Responses request body cut down to the fields the counting endpoint takes."""
    return {key: value for key, value in body.items() if key in COUNTED_FIELDS}


def decode_count_response(body: Mapping[str, Any]) -> int:
    return read_count(body, "input_tokens", provider="openai")
