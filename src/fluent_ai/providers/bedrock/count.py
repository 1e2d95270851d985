"""Bedrock's token counting: ``POST /model/{modelId}/count-tokens``.

The endpoint takes a Converse request's prompt half (``messages``, ``system``,
``toolConfig``, ``additionalModelRequestFields``) under ``{"input": {"converse": …}}``
and answers ``{"inputTokens": N}``; the inference settings are not part of it. A model
that cannot count (most but Claude, today) is refused with a 400 saying so, which
reaches the caller as the typed error Bedrock's other refusals are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fluent_ai.providers.bedrock.encode import encode_request
from fluent_ai.providers.counting import read_count
from fluent_ai.types import ChatRequest

COUNTED_FIELDS = frozenset({"messages", "system", "toolConfig", "additionalModelRequestFields"})
"""The Converse fields ``ConverseTokensRequest`` takes (AWS's API reference)."""


def count_path(request: ChatRequest) -> str:
    """The model id percent-encoded whole, as for Converse itself."""
    return f"/model/{quote(request.model, safe='')}/count-tokens"


def encode_count_request(request: ChatRequest) -> dict[str, Any]:
    body = encode_request(request)
    converse = {key: value for key, value in body.items() if key in COUNTED_FIELDS}
    return {"input": {"converse": converse}}


def decode_count_response(body: Mapping[str, Any]) -> int:
    return read_count(body, "inputTokens", provider="bedrock")
