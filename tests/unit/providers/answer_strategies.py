"""Neutral answers for the response-encoder properties, how two answers compare, and
the trip every recorded answer takes through a response encoder and back.

Each of ``test_encode_response_*`` differs only in its wire's encoder; reading the
recordings, decoding them and comparing what comes back is the same for all, so it
lives here once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from tests.support.cassettes import Interaction, cassettes, load

from fluent_ai.http.sse import iter_sse
from fluent_ai.providers.base import ChatProtocol
from fluent_ai.types import (
    ChatResponse,
    Finish,
    FinishReason,
    ResponseStart,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    Usage,
    UsageUpdate,
    collect_events,
)

TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)
NAME = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,12}", fullmatch=True)
CARRIED = frozenset(FinishReason) - {FinishReason.OTHER}
"""Reasons a wire has its own word for (``OTHER`` is whatever a vendor's word means)."""
COUNT = st.integers(min_value=0, max_value=10**6)


@st.composite
def answers(
    draw: st.DrawFn, *, signed: bool = False, reasons: frozenset[FinishReason] = CARRIED
) -> list[StreamEvent]:
    """A neutral answer's events in the order every decoder emits them; ``signed``
    thinking ends with a signature, as Anthropic's does; the finish is one of
    ``reasons``, those the wire has a word for."""
    events: list[StreamEvent] = [ResponseStart(id=draw(st.from_regex(r"[a-z]{3}_[a-z0-9]{8}")))]
    thinking = draw(st.lists(TEXT, max_size=3))
    events += [ThinkingDelta(t) for t in thinking]
    if signed and thinking:
        events.append(ThinkingDelta(signature=draw(st.from_regex(r"[A-Za-z0-9+/]{8,16}"))))
    events += [TextDelta(t) for t in draw(st.lists(TEXT, max_size=4))]
    for index in range(draw(st.integers(0, 2))):
        events.append(ToolCallStart(index, f"call_{index}_{draw(NAME)}", draw(NAME)))
        arguments = json.dumps(draw(st.dictionaries(NAME, st.integers() | TEXT, max_size=3)))
        cut = draw(st.integers(0, len(arguments)))
        events += [
            ToolCallDelta(index, part) for part in (arguments[:cut], arguments[cut:]) if part
        ]
        events.append(ToolCallEnd(index))
    cached, prompt = sorted((draw(COUNT), draw(COUNT)))
    reasoning, output = sorted((draw(COUNT), draw(COUNT)))
    usage = Usage(
        input_tokens=prompt,
        output_tokens=output,
        cache_read_tokens=cached,
        reasoning_tokens=reasoning,
    )
    reason = draw(st.sampled_from(sorted(reasons)))
    return [*events, UsageUpdate(usage), Finish(reason)]


def same_answer(got: ChatResponse, expected: ChatResponse) -> None:
    """Field for field, except what the wire does not carry (raw words, usage details)."""
    assert meaning(got) == meaning(expected)
    assert got.finish_reason == expected.finish_reason
    assert got.id == expected.id
    for field in ("input_tokens", "output_tokens", "cache_read_tokens", "reasoning_tokens"):
        assert getattr(got.usage, field) == getattr(expected.usage, field), field


def meaning(answer: ChatResponse) -> list[object]:
    """The answer's parts, with tool-call arguments as what they mean: a wire that
    carries them as an object (Anthropic) spells the JSON its own way."""
    parts: list[object] = []
    for part in answer.message.parts:
        if isinstance(part, ToolCallPart):
            parts.append((part.id, part.name, json.loads(part.arguments or "{}")))
        else:
            parts.append(part)
    return parts


def recorded_answers(folders: tuple[str, ...], endpoint: str) -> list[Any]:
    """Every answered (200) exchange with ``endpoint`` recorded under ``folders``, as
    test parameters named ``folder/cassette/number``."""
    return [
        pytest.param(exchange, id=f"{folder}/{Path(path).stem}/{number}")
        for folder in folders
        for path in cassettes(folder)
        for number, exchange in enumerate(load(path))
        if exchange.status == 200 and exchange.path.endswith(endpoint)
    ]


def survives_the_trip(
    exchange: Interaction,
    protocol: ChatProtocol,
    *,
    whole: Callable[[ChatResponse], Mapping[str, Any]],
    streamed: Callable[[list[StreamEvent]], ChatResponse],
    said: Callable[[ChatResponse], ChatResponse] = lambda answer: answer,
) -> None:
    """Decode a recorded answer with ``protocol``, write it with the encoder under test
    (``whole`` gives the body, ``streamed`` sends the events and reads them back), decode
    that, and compare. ``said`` is the answer as the wire can say it, where it differs.
    A recorded stream that ends in an error is skipped: a gateway sends that as one."""
    if exchange.is_stream:
        decoder = protocol.stream_decoder()
        events: list[StreamEvent] = []
        for message in iter_sse([exchange.response_text.encode()]):
            events += decoder.feed(message.data, message.event)
        events += decoder.close()
        if any(isinstance(event, StreamError) for event in events):
            pytest.skip("the recorded stream ends in an error, which a gateway sends as one")
        same_answer(streamed(events), said(collect_events(events)))
    else:
        answer = said(collect_events(protocol.decode_response(exchange.response_body)))
        same_answer(collect_events(protocol.decode_response(whole(answer))), answer)
