"""Property: a recorded answer with one value changed decodes or raises a typed error.

Random JSON rarely gets deep into a decoder: a value it reads three objects down sits
behind an event type, an index and a block that must all be right first. So hypothesis
starts from real answers (the recordings, whole and streamed) and changes one thing, at
any depth: a value replaced by any JSON value, or a field removed. The decoder must
still give events that collect into a response, or raise a :class:`FluentAIError`;
never a ``KeyError``, ``TypeError``, ``AttributeError`` or pydantic's ``ValidationError``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.cassettes import cassettes, load

from fluent_ai.http import SSEParser
from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.base import ChatProtocol
from fluent_ai.providers.bedrock.protocol import BedrockConverseProtocol
from fluent_ai.providers.cohere.protocol import CohereProtocol
from fluent_ai.providers.google import GeminiProtocol
from fluent_ai.providers.mistral.protocol import MistralProtocol
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.providers.responses.protocol import ResponsesProtocol
from fluent_ai.types import FluentAIError, StreamEvent, collect_events

FOLDERS: dict[str, ChatProtocol] = {
    "openai": OpenAIChatProtocol(),
    "openai-responses": ResponsesProtocol(),
    "anthropic": AnthropicProtocol(),
    "google": GeminiProtocol(),
    "mistral": MistralProtocol(),
    "cohere": CohereProtocol(),
    "bedrock": BedrockConverseProtocol(),
}

Messages = list[tuple[str, str]]
"""A stream's messages (data, event name); a whole answer is one, named ``""``."""


def decode(protocol: ChatProtocol, messages: Messages) -> None:
    """Decode and collect; raises whatever the decoder or the collector raises."""
    events: list[StreamEvent] = []
    if messages and messages[0][1] == "":
        events = protocol.decode_response(json.loads(messages[0][0]))
    else:
        decoder = protocol.stream_decoder()
        for data, event in messages:
            events += decoder.feed(data, event)
        events += decoder.close()
    collect_events(events)


def recorded(folder: str) -> list[Messages]:
    """The folder's successful answers that decode as they are."""
    found: list[Messages] = []
    for path in cassettes(folder):
        for item in load(path):
            if item.status != 200:
                continue
            if isinstance(item.response_body, dict):
                messages: Messages = [(json.dumps(item.response_body), "")]
            elif isinstance(item.response_body, str) and "data:" in item.response_body:
                parser = SSEParser()
                sse = [*parser.feed(item.response_body.encode()), *parser.close()]
                messages = [(m.data, m.event or "message") for m in sse]
            else:
                continue
            try:
                decode(FOLDERS[folder], messages)
            except FluentAIError:  # not a chat answer (count_tokens), or an error in the stream
                continue
            found.append(messages)
    return found


ANSWERS = {folder: recorded(folder) for folder in FOLDERS}

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=4,
)
REMOVED = object()


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside ``value`` a mutation can change."""
    children: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    return [p for key, child in children for p in [(*prefix, key), *paths(child, (*prefix, key))]]


def mutated(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``value`` with the node at ``path`` replaced by ``new`` (or removed)."""
    if not path:
        return new
    key, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if not rest and new is REMOVED:
            del copy[key]
        else:
            copy[key] = mutated(value[key], rest, new)
        return copy
    items = list(value)
    if not rest and new is REMOVED:
        del items[key]
    else:
        items[key] = mutated(value[key], rest, new)
    return items


def test_the_recordings_hold_answers_for_every_folder() -> None:
    assert all(ANSWERS.values()), {folder: len(found) for folder, found in ANSWERS.items()}


@pytest.mark.parametrize("folder", FOLDERS)
@given(data=st.data())
def test_a_changed_answer_decodes_or_raises_a_typed_error(folder: str, data: st.DataObject) -> None:
    messages: Messages = data.draw(st.sampled_from(ANSWERS[folder]), label="answer")
    index = data.draw(st.integers(0, len(messages) - 1), label="message")
    text, event = messages[index]
    try:
        payload = json.loads(text)
    except ValueError:  # a sentinel such as [DONE]: nothing inside to change
        return
    where = paths(payload)
    if not where:
        return
    path = data.draw(st.sampled_from(where), label="path")
    new = data.draw(st.just(REMOVED) | VALUES, label="new value")
    changed = [*messages[:index], (json.dumps(mutated(payload, path, new)), event)]
    changed += messages[index + 1 :]
    try:
        decode(FOLDERS[folder], changed)
    except FluentAIError:
        return
