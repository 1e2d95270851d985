"""Output items travel beside the conversation and go back exactly (reasoning included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conformance.suites.responses import FOLDERS, is_chat
from tests.support.cassettes import cassettes, load

from fluent_ai.providers.responses import ITEMS_KEY, protocol_for
from fluent_ai.providers.responses.history import VerbatimItems
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    ConfigurationError,
    Message,
    StreamEvent,
    collect_events,
)


def said(text: str, item_id: str) -> list[dict[str, Any]]:
    part = {"type": "output_text", "text": text, "annotations": []}
    return [{"type": "message", "id": item_id, "role": "assistant", "content": [part]}]


def test_entries_go_to_the_messages_they_spell_in_order() -> None:
    first, second = said("Yes.", "msg_1"), said("Yes.", "msg_2")
    verbatim = VerbatimItems([first, second], provider="openai")
    assert verbatim.take(Message.assistant("Yes.")) is first
    assert verbatim.take(Message.user("Yes.")) is None  # the role is part of the reading
    assert verbatim.take(Message.assistant("Yes.")) is second
    assert verbatim.take(Message.assistant("Yes.")) is None


def test_an_entry_passed_over_is_not_used_later() -> None:
    dropped, kept = said("Old.", "msg_1"), said("New.", "msg_2")
    verbatim = VerbatimItems([dropped, kept], provider="openai")
    assert verbatim.take(Message.assistant("New.")) is kept
    assert verbatim.take(Message.assistant("Old.")) is None


def test_an_entry_holds_one_message() -> None:
    two = [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]
    with pytest.raises(ConfigurationError):
        VerbatimItems([two], provider="openai")


def _answer(provider: str, body: Any) -> ChatResponse:
    protocol = protocol_for(provider)
    if not isinstance(body, str):
        return collect_events(protocol.decode_response(body))
    decoder = protocol.stream_decoder()
    events: list[StreamEvent] = []
    for message in body.split("\n\n"):
        data = [line[5:].lstrip() for line in message.splitlines() if line.startswith("data:")]
        if data:
            events.extend(decoder.feed("\n".join(data)))
    return collect_events([*events, *decoder.close()])


ANSWERS = [
    pytest.param(provider, path, index, id=f"{folder}/{path.stem}#{index}")
    for folder, provider in FOLDERS.items()
    for path in cassettes(folder)
    for index, item in enumerate(load(path))
    if is_chat(item) and item.status < 400
]


@pytest.mark.parametrize(("provider", "path", "index"), ANSWERS)
def test_a_recorded_answer_goes_back_exactly_in_the_next_turn(
    provider: str, path: Path, index: int
) -> None:
    answer = _answer(provider, load(path)[index].response_body)
    (output,) = answer.extra[ITEMS_KEY]
    history = [Message.user("question"), answer.message, Message.user("next")]
    request = ChatRequest(model="m", messages=history, extra={ITEMS_KEY: answer.extra[ITEMS_KEY]})
    body = protocol_for(provider).encode_request(request, stream=False)
    assert body["input"] == [
        {"role": "user", "content": "question"},
        *output,
        {"role": "user", "content": "next"},
    ]
