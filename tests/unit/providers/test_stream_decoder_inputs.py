"""Property: whatever a server sends, every protocol's stream decoder decodes it or raises
a typed error (a :class:`FluentAIError`), never a ``KeyError``, ``TypeError`` or the like.
What it decodes must collect into a response: a number where an id or a text belongs is
the decoder's to refuse, naming the field, not the collector's to trip over later.

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
from fluent_ai.types import FluentAIError, collect_events

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

FIELDS = [
    # OpenAI Chat Completions, Mistral, Ollama
    *("id", "model", "choices", "index", "delta", "message", "role", "content", "text"),
    *("tool_calls", "function", "name", "arguments", "finish_reason", "usage", "done"),
    *("thinking", "reasoning_content", "error", "data", "event", "index_"),
    # Gemini
    *("candidates", "parts", "functionCall", "args", "responseId", "modelVersion"),
    # Anthropic
    *("content_block", "input", "partial_json", "stop_reason", "signature", "citation"),
    *("input_tokens", "output_tokens", "cache_read_input_tokens", "output_tokens_details"),
    # Cohere
    *("tool_plan", "billed_units", "tokens", "cached_tokens", "content_items"),
    # Responses
    *("response", "item", "output", "output_index", "content_index", "summary", "call_id"),
    *("summary_index", "status", "incomplete_details", "reason", "input_tokens_details"),
    # Bedrock
    *("contentBlockIndex", "start", "toolUse", "toolUseId", "stopReason", "reasoningContent"),
    *("reasoningText", "redactedContent", "toolResult", "image", "inputTokens", "metrics"),
]
"""Field names the decoders read, so drawn objects get past the first lookups."""

WORDS = [
    # Anthropic event and block types
    *("message_start", "message_delta", "message_stop", "content_block_start"),
    *("content_block_delta", "content_block_stop", "text_delta", "input_json_delta"),
    *("thinking_delta", "signature_delta", "citations_delta", "tool_use", "redacted_thinking"),
    # Cohere event types
    *("message-start", "content-start", "content-delta", "tool-plan-delta", "tool-call-start"),
    *("tool-call-delta", "tool-call-end", "citation-start", "message-end", "COMPLETE"),
    # Responses event and item types
    *("response.created", "response.in_progress", "response.output_item.added"),
    *("response.output_item.done", "response.output_text.delta", "response.completed"),
    *("response.function_call_arguments.delta", "response.reasoning_summary_text.delta"),
    *("response.reasoning_text.delta", "response.failed", "response.incomplete"),
    *("function_call", "output_text", "reasoning", "reasoning_text", "completed"),
    # Bedrock event names
    *("messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop"),
    *("messageStop", "metadata", "end_turn", "stop", "assistant"),
]
"""The ``type`` values and event names the decoders dispatch on."""

KEYS = st.sampled_from(FIELDS)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(WORDS)
)


def objects(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects of the fields the decoders read, often with a ``type`` they dispatch on."""
    fields = st.dictionaries(KEYS, values, max_size=4)
    typed = st.builds(lambda kind, rest: {**rest, "type": kind}, st.sampled_from(WORDS), fields)
    return fields | typed


JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | objects(inner), max_leaves=12
)
PAYLOAD = st.text(max_size=30) | JSON.map(json.dumps) | objects(JSON).map(json.dumps)
EVENT = st.just("message") | st.sampled_from(WORDS) | KEYS | st.text(max_size=10)


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
        collect_events(events)
    except FluentAIError:
        return
