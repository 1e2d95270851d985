"""Every recorded Gemini answer, collected and sent back, is the model turn Gemini accepted.

In each multi-turn recording the next request holds the previous answer as a model
turn, and Gemini answered it with 200. Here the answer is decoded (streamed or whole)
and collected into a message the way a chat loop holds it, encoded with nothing but its
neutral parts, and compared with that recorded turn: thought text, thought signatures on
the very parts that carried them, and function calls. Two spellings differ and are
evened out first, each for a stated reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conformance.suites.google import is_chat, is_stream
from tests.support.cassettes import Interaction, cassettes, load

from fluent_ai.providers.google import GeminiProtocol
from fluent_ai.types import ChatRequest, ChatResponse, Message, StreamAccumulator, collect_events

PROTOCOL = GeminiProtocol()

CASES = [
    pytest.param(path, index, id=f"{folder}/{path.stem}#{index}")
    for folder in ("google", "google-vertex")
    for path in cassettes(folder)
    for index, (answer, follow_up) in enumerate(zip(load(path), load(path)[1:], strict=False))
    if is_chat(answer) and is_chat(follow_up) and answer.status == 200
]


def test_recordings_were_found() -> None:
    assert CASES, "no Gemini recordings: set FLUENT_AI_RECORDINGS"


def collected(item: Interaction) -> ChatResponse:
    if not is_stream(item):
        return collect_events(PROTOCOL.decode_response(item.response_body))
    decoder = PROTOCOL.stream_decoder()
    accumulator = StreamAccumulator()
    for message in item.response_body.split("\r\n\r\n"):
        if message.strip():
            for event in decoder.feed(message.strip().removeprefix("data:").strip()):
                accumulator.add(event)
    for event in decoder.close():
        accumulator.add(event)
    return accumulator.response()


def evened(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parts with the spellings that do not change their meaning evened out."""
    out = []
    for part in json.loads(json.dumps(parts)):
        # The client sent snake_case on some turns; Google reads both spellings.
        part = {_camel(key): value for key, value in part.items()}
        if "functionCall" in part:
            # Ids: Gemini's API sends none, the client and this library each made their own.
            part["functionCall"].pop("id", None)
        if "thoughtSignature" in part:
            # The client re-encoded the signature's bytes in URL-safe base64.
            signature = part["thoughtSignature"]
            part["thoughtSignature"] = signature.replace("-", "+").replace("_", "/")
        out.append(part)
    return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


@pytest.mark.parametrize(("path", "index"), CASES)
def test_the_answer_goes_back_as_the_turn_gemini_accepted(path: Path, index: int) -> None:
    answer, follow_up = load(path)[index], load(path)[index + 1]
    message = collected(answer).message
    request = ChatRequest(model="m", messages=[Message.user("q"), message])
    sent = PROTOCOL.encode_request(request, stream=False)["contents"][1]
    recorded = [c for c in follow_up.request_body["contents"] if c.get("role") == "model"][-1]
    assert sent["role"] == "model"
    assert evened(sent["parts"]) == evened(recorded["parts"])
