"""Provider content that must travel with the conversation to the next request.

Some answers hold content no neutral part can spell exactly: Anthropic's server-tool
blocks and citations, the Responses API's reasoning items with their ids and
encrypted content, Bedrock's server-tool results. Those protocols put the exact wire
form in ``ChatResponse.extra`` under their key, as a list with one entry per message;
sent back in ``ChatRequest.extra`` under the same key, each entry replaces the message
whose neutral reading it matches (see :mod:`fluent_ai.providers.verbatim`). Whoever
keeps a conversation going (the agent loop) collects them with :func:`carry`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HISTORY_KEYS = frozenset(
    {"anthropic_content", "responses_items", "bedrock_content", "gemini_contents"}
)
"""The ``extra`` keys whose entries accumulate over a conversation."""


def carry(carried: dict[str, list[Any]], response_extra: Mapping[str, Any]) -> None:
    """Add an answer's history entries to those collected so far, in order."""
    for key in HISTORY_KEYS.intersection(response_extra):
        entries = response_extra[key]
        if isinstance(entries, list):
            carried.setdefault(key, []).extend(entries)
