"""``converse-stream`` through the real stream path, built from the recorded answers.

The recordings hold whole ``converse`` answers; ``tests.support.eventstream`` turns each
into the events Bedrock streams for it, framed byte for byte as AWS frames them, and a
loopback server sends them in small chunks. The streamed answer must collect to exactly
what ``complete()`` makes of the recorded whole answer, token by token on the way, with
the usage before the finish. Cuts at any byte, exceptions, corruption and a stream that
stops early are checked too.
"""

from __future__ import annotations

import itertools
import json
import struct
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.cassettes import Interaction, cassettes, load
from tests.support.eventstream import (
    converse_stream,
    event_message,
    exception_message,
    frame_events,
)
from tests.unit.http.loopback import Loopback, Reply, loopback_server

from fluent_ai.http import HttpClient
from fluent_ai.http.eventstream import EventStreamError, iter_event_stream
from fluent_ai.providers.bedrock import BedrockConverseProtocol, bedrock_profile
from fluent_ai.providers.bedrock.stream import BedrockStreamDecoder
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    ChatRequest,
    ContextLengthExceededError,
    Finish,
    InvalidRequestError,
    Message,
    ProviderData,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    StreamEvent,
    StreamInterruptedError,
    TextDelta,
    ThinkingDelta,
    UsageUpdate,
    collect_events,
)

KEY = "ABSKQmVkcm9ja0FQSUtleS1zdHJlYW0tdGVzdA=="
RECORDED = [
    (f"{path.stem[:60]}-{n}", item)
    for path in cassettes("bedrock")
    for n, item in enumerate(load(path))
    if item.status == 200 and item.path.endswith("/converse")
]
ANSWERS = [pytest.param(item, id=name) for name, item in RECORDED]
STREAM_HEADERS = {"content-type": "application/vnd.amazon.eventstream"}


@pytest.fixture
def server() -> Iterator[Loopback]:
    with loopback_server() as loopback:
        yield loopback


def model(server: Loopback) -> HttpChatModel:
    profile = bedrock_profile("us-east-1")
    return HttpChatModel(profile, BedrockConverseProtocol(), api_key=KEY, base_url=server.url(""))


def request_for(item: Interaction) -> ChatRequest:
    model_id = unquote(item.path.split("/")[2])
    return ChatRequest(model=model_id, messages=[Message.user("Hello")])


def chunked(body: bytes, size: int = 7) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def decoded(*chunks: bytes) -> list[StreamEvent]:
    """The events a body makes, cut into ``chunks``, without the network."""
    decoder = BedrockStreamDecoder()
    events: list[StreamEvent] = []
    for message in iter_event_stream(chunks, provider="bedrock"):
        events.extend(decoder.feed(message.text(), message.name))
    return [*events, *decoder.close()]


@pytest.mark.skipif(not ANSWERS, reason="no Bedrock recordings in ../shared/recordings")
@pytest.mark.parametrize("item", ANSWERS)
async def test_a_recorded_answer_streams_token_by_token_to_the_same_result(
    server: Loopback, item: Interaction
) -> None:
    answer: dict[str, Any] = item.response_body
    body = frame_events(converse_stream(answer))
    server.reply(
        Reply(200, STREAM_HEADERS, chunks=chunked(body)),
        Reply(200, {"content-type": "application/json"}, json.dumps(answer).encode()),
    )
    request = request_for(item)
    async with model(server) as bedrock:
        events = [event async for event in bedrock.stream(request)]
        whole = await bedrock.complete(request)
    streamed_path, whole_path = (received.path for received in server.received)
    assert streamed_path.endswith("/converse-stream")
    assert whole_path.endswith("/converse")
    streamed = collect_events(events)
    assert streamed.message == whole.message
    assert (streamed.usage, streamed.finish_reason, streamed.extra) == (
        whole.usage,
        whole.finish_reason,
        whole.extra,
    )
    texts = [e for e in events if isinstance(e, TextDelta | ThinkingDelta) and e.text]
    assert len(texts) == _pieces(answer)
    assert isinstance(events[-1], Finish)
    usage_at = max(i for i, e in enumerate(events) if isinstance(e, UsageUpdate))
    assert usage_at < len(events) - 1
    assert all("p" not in e.data for e in events if isinstance(e, ProviderData))


def _pieces(answer: dict[str, Any]) -> int:
    """How many non-empty text and reasoning pieces the answer streams as."""
    count = 0
    for _, payload in converse_stream(answer):
        delta = payload.get("delta") or {}
        count += bool(delta.get("text") or (delta.get("reasoningContent") or {}).get("text"))
    return count


def _answer(name: str) -> Interaction | None:
    """The first recorded answer whose cassette name holds ``name``."""
    return next((item for path, item in RECORDED if name in path), None)


SMALL = _answer("tool_choice_matrix")
LARGER = _answer("tool_with_thinking")


@pytest.mark.skipif(SMALL is None, reason="no Bedrock recordings")
def test_a_cut_at_every_byte_gives_the_same_events() -> None:
    assert SMALL is not None
    body = frame_events(converse_stream(SMALL.response_body))
    whole = decoded(body)
    for cut in range(1, len(body)):
        assert decoded(body[:cut], body[cut:]) == whole, cut


@pytest.mark.skipif(LARGER is None, reason="no Bedrock recordings")
@settings(max_examples=60)
@given(st.data())
def test_any_cuts_give_the_same_events(data: st.DataObject) -> None:
    assert LARGER is not None
    body = frame_events(converse_stream(LARGER.response_body))
    cuts = data.draw(st.lists(st.integers(min_value=0, max_value=len(body)), max_size=80))
    edges = [0, *sorted(cuts), len(body)]
    pieces = [body[a:b] for a, b in itertools.pairwise(edges)]
    assert decoded(*pieces) == decoded(body)


OPENING: list[tuple[str, dict[str, Any]]] = [
    ("messageStart", {"role": "assistant"}),
    ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Once "}}),
    ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "upon"}}),
]


@pytest.mark.parametrize(
    ("kind", "payload", "error"),
    [
        ("throttlingException", {"message": "Too many tokens, please wait."}, RateLimitError),
        (
            "validationException",
            {"message": "Input is too long for requested model."},
            ContextLengthExceededError,
        ),
        ("validationException", {"message": "Malformed input request"}, InvalidRequestError),
        ("internalServerException", {"message": "oops"}, ProviderUnavailableError),
        ("serviceUnavailableException", {"message": "busy"}, ProviderUnavailableError),
        (
            "modelStreamErrorException",
            {"message": "model failed", "originalStatusCode": 429, "originalMessage": "slow"},
            RateLimitError,
        ),
        ("modelStreamErrorException", {"message": "model failed"}, ProviderUnavailableError),
        ("someNewException", {"message": "new"}, ProviderError),
    ],
)
async def test_an_exception_frame_raises_its_typed_error_after_the_text_so_far(
    server: Loopback, kind: str, payload: dict[str, Any], error: type[ProviderError]
) -> None:
    body = frame_events(OPENING) + exception_message(kind, payload)
    server.reply(Reply(200, STREAM_HEADERS, chunks=chunked(body, 11)))
    seen: list[str] = []

    async def read(bedrock: HttpChatModel) -> None:
        async for event in bedrock.stream(ChatRequest(model="m", messages=[Message.user("x")])):
            if isinstance(event, TextDelta):
                seen.append(event.text)

    async with model(server) as bedrock:
        with pytest.raises(ProviderError) as info:
            await read(bedrock)
    assert type(info.value) is error
    assert seen == ["Once ", "upon"]
    assert (info.value.provider, info.value.status) == ("bedrock", None)
    expected_code = kind[0].upper() + kind[1:]
    assert info.value.code == expected_code
    assert str(info.value).startswith(f"[bedrock] {expected_code}: {payload['message']}")


async def test_a_corrupt_frame_raises_naming_its_offset(server: Loopback) -> None:
    body = bytearray(frame_events(OPENING))
    second = len(event_message(*OPENING[0]))
    (total,) = struct.unpack_from(">I", body, second)
    body[second + total - 6] ^= 0xFF  # inside the second message's payload
    server.reply(Reply(200, STREAM_HEADERS, chunks=chunked(bytes(body))))
    async with model(server) as bedrock:
        with pytest.raises(EventStreamError, match="CRC32") as info:
            [e async for e in bedrock.stream(ChatRequest(model="m", messages=[Message.user("x")]))]
    assert info.value.offset == second + total - 4
    assert info.value.provider == "bedrock"


async def test_a_stream_that_stops_before_message_stop_is_interrupted(server: Loopback) -> None:
    server.reply(Reply(200, STREAM_HEADERS, chunks=chunked(frame_events(OPENING))))
    async with model(server) as bedrock:
        with pytest.raises(StreamInterruptedError, match="before messageStop") as info:
            [e async for e in bedrock.stream(ChatRequest(model="m", messages=[Message.user("x")]))]
    assert info.value.partial == [{"text": "Once upon"}]


def test_without_metadata_the_finish_still_comes_last() -> None:
    events = decoded(frame_events([*OPENING, ("messageStop", {"stopReason": "max_tokens"})]))
    assert [type(e).__name__ for e in events] == ["TextDelta", "TextDelta", "Finish"]
    assert isinstance(events[-1], Finish)
    assert events[-1].raw == "max_tokens"


async def test_each_token_is_handed_over_before_the_rest_of_the_body_arrives() -> None:
    """The body's source waits until the caller has the first token: a decoder that read
    the whole body first would never get it."""
    first = frame_events(OPENING[:2])
    rest = frame_events(OPENING[2:]) + event_message("messageStop", {"stopReason": "end_turn"})
    seen: list[StreamEvent] = []

    async def body() -> AsyncIterator[bytes]:
        yield first[:-3]
        yield first[-3:] + rest[:4]
        assert [e for e in seen if isinstance(e, TextDelta)] == [TextDelta("Once ")]
        yield rest[4:]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=STREAM_HEADERS, content=body())

    client = HttpClient(retry=None, transport=httpx.MockTransport(answer))
    bedrock = HttpChatModel(
        bedrock_profile("us-east-1"), BedrockConverseProtocol(), api_key=KEY, client=client
    )
    async for event in bedrock.stream(ChatRequest(model="m", messages=[Message.user("x")])):
        seen.append(event)
    await client.aclose()
    assert [e.text for e in seen if isinstance(e, TextDelta)] == ["Once ", "upon"]
    assert isinstance(seen[-1], Finish)


@pytest.mark.skipif(SMALL is None, reason="no Bedrock recordings")
@settings(max_examples=12)
@given(sizes=st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=30))
async def test_any_chunking_over_http_gives_the_same_events(sizes: list[int]) -> None:
    """The body cut where hypothesis says, sent chunk by chunk over loopback HTTP."""
    assert SMALL is not None
    body = frame_events(converse_stream(SMALL.response_body))
    chunks, at = [], 0
    for size in itertools.cycle(sizes):
        if at >= len(body):
            break
        chunks.append(body[at : at + size])
        at += size
    with loopback_server() as server:
        server.reply(Reply(200, STREAM_HEADERS, chunks=chunks))
        async with model(server) as bedrock:
            events = [event async for event in bedrock.stream(request_for(SMALL))]
    # The model prices the usage on the way; the decoder alone does not.
    unpriced = [UsageUpdate(e.usage) if isinstance(e, UsageUpdate) else e for e in events]
    assert unpriced == decoded(body)
