"""Property: whatever a server sends, every protocol's stream decoder decodes it or raises
a typed error (a :class:`FluentAIError`), never a ``KeyError``, ``TypeError`` or the like.

Each message's payload is drawn as arbitrary text or, more often, as JSON (objects that
use the field names the protocols read, with values of any type), so the decoders get
past parsing into the code that reads the structure.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.base import ChatProtocol
from fluent_ai.providers.bedrock.protocol import BedrockConverseProtocol
from fluent_ai.providers.cohere.protocol import CohereProtocol
from fluent_ai.providers.google import GeminiProtocol
from fluent_ai.providers.mistral.protocol import MistralProtocol
from fluent_ai.providers.ollama import OllamaProtocol
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.providers.responses.protocol import ResponsesProtocol
from fluent_ai.types import FluentAIError

PROTOCOLS: list[ChatProtocol] = [
    OpenAIChatProtocol(),
    ResponsesProtocol(),
    AnthropicProtocol(),
    GeminiProtocol(),
    MistralProtocol(),
    CohereProtocol(),
    OllamaProtocol(),
    BedrockConverseProtocol(),
]

KEYS = st.sampled_from(
    [
        "type",
        "id",
        "index",
        "delta",
        "content",
        "text",
        "choices",
        "message",
        "role",
        "tool_calls",
        "function",
        "name",
        "arguments",
        "finish_reason",
        "usage",
        "candidates",
        "parts",
        "index_",
        "content_block",
        "input",
        "partial_json",
        "stop_reason",
        "done",
        "error",
        "response",
        "item",
        "output",
        "event",
        "data",
    ]
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
PAYLOAD = st.text(max_size=30) | JSON.map(json.dumps)
EVENT = st.just("message") | KEYS | st.text(max_size=10)


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda protocol: type(protocol).__name__)
@given(messages=st.lists(st.tuples(PAYLOAD, EVENT), max_size=6))
def test_any_stream_decodes_or_raises_a_typed_error(
    protocol: ChatProtocol, messages: list[tuple[str, str]]
) -> None:
    decoder = protocol.stream_decoder()
    events: list[Any] = []
    try:
        for data, event in messages:
            events += decoder.feed(data, event)
        events += decoder.close()
    except FluentAIError:
        return
