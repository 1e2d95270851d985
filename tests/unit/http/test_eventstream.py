"""The AWS event-stream parser: every header type, any cut, and corruption by offset.

Frames come from ``tests.support.eventstream``, whose output botocore's own decoder
(``botocore.eventstream.EventStreamBuffer``) is asked to read back, so the test frames
are AWS's format and not only this parser's idea of it.
"""

from __future__ import annotations

import itertools
import struct
import uuid
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from botocore.eventstream import EventStreamBuffer
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.http.eventstream import (
    EventStreamError,
    EventStreamMessage,
    EventStreamParser,
    aiter_event_stream,
    iter_event_stream,
)
from fluent_ai.types import ProviderError, StreamInterruptedError
from tests.support.eventstream import encode_message, event_message, exception_message

WHEN = datetime(2026, 12, 6, 3, 14, 15, 926000, tzinfo=UTC)
ID = uuid.UUID("12345678-1234-5678-1234-567812345678")
EVERY_TYPE = encode_message(
    [
        ("yes", True),
        ("no", False),
        ("byte", -7, 2),
        ("short", -300, 3),
        ("integer", 70000),
        ("long", -(2**40), 5),
        ("bytes", b"\x00\xff"),
        ("string", "héllo"),
        ("timestamp", WHEN),
        ("uuid", ID),
    ],
    b'{"a":1}',
)
BODY = b"".join(
    [
        event_message("messageStart", {"role": "assistant"}),
        event_message("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hé"}}, 9),
        EVERY_TYPE,
        exception_message("throttlingException", {"message": "Too many tokens"}),
    ]
)


def parse(*chunks: bytes) -> list[EventStreamMessage]:
    return list(iter_event_stream(chunks, provider="bedrock"))


def test_every_header_type_reads_as_aws_writes_it() -> None:
    [message] = parse(EVERY_TYPE)
    assert message.headers == {
        "yes": True,
        "no": False,
        "byte": -7,
        "short": -300,
        "integer": 70000,
        "long": -(2**40),
        "bytes": b"\x00\xff",
        "string": "héllo",
        "timestamp": WHEN,
        "uuid": ID,
    }
    assert message.payload == b'{"a":1}'
    # botocore reads the same frame, keeping timestamps as milliseconds and UUIDs as bytes.
    boto = EventStreamBuffer()
    boto.add_data(EVERY_TYPE)
    [theirs] = list(boto)
    assert theirs.payload == message.payload
    assert theirs.headers == {
        **message.headers,
        "timestamp": round(WHEN.timestamp() * 1000),
        "uuid": ID.bytes,
    }


def test_botocore_reads_the_test_frames_as_this_parser_does() -> None:
    boto = EventStreamBuffer()
    boto.add_data(BODY)
    plain = [(m.headers, m.payload) for m in parse(BODY) if "uuid" not in m.headers]
    assert [(m.headers, m.payload) for m in boto if "uuid" not in m.headers] == plain
    assert len(plain) == 3


def test_names_types_and_offsets() -> None:
    start, delta, typed, exception = parse(BODY)
    assert (start.message_type, start.event_type, start.content_type) == (
        "event",
        "messageStart",
        "application/json",
    )
    assert start.name == "messageStart"
    assert start.offset == 0
    assert delta.text() == '{"contentBlockIndex":0,"delta":{"text":"Hé"},"p":"abcdefghij"}'
    assert delta.offset == len(event_message("messageStart", {"role": "assistant"}))
    assert typed.message_type == "event"
    assert typed.name == "event"
    assert (exception.message_type, exception.exception_type) == (
        "exception",
        "throttlingException",
    )
    assert exception.name == "throttlingException"


def test_a_cut_at_every_byte_gives_the_same_messages() -> None:
    whole = parse(BODY)
    for cut in range(1, len(BODY)):
        assert parse(BODY[:cut], BODY[cut:]) == whole, cut
    assert parse(*(BODY[i : i + 1] for i in range(len(BODY)))) == whole


@given(st.lists(st.integers(min_value=0, max_value=len(BODY)), max_size=40))
def test_any_cuts_give_the_same_messages(cuts: list[int]) -> None:
    edges = [0, *sorted(cuts), len(BODY)]
    assert parse(*(BODY[a:b] for a, b in itertools.pairwise(edges))) == parse(BODY)


async def test_async_reading_yields_each_message_as_it_completes() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(BODY), 5):
            yield BODY[i : i + 5]

    assert [m async for m in aiter_event_stream(chunks())] == parse(BODY)


def second_message_offset() -> int:
    return len(event_message("messageStart", {"role": "assistant"}))


def corrupt(at: int) -> bytes:
    damaged = bytearray(BODY)
    damaged[at] ^= 0x01
    return bytes(damaged)


def test_a_bad_prelude_checksum_names_its_offset() -> None:
    second = second_message_offset()
    with pytest.raises(EventStreamError, match=f"corrupt at byte {second + 8}") as info:
        parse(corrupt(second + 1))  # a length byte: the prelude's CRC32 no longer holds
    assert (info.value.offset, info.value.provider) == (second + 8, "bedrock")
    assert "prelude's CRC32" in str(info.value)


def test_a_bad_message_checksum_names_its_offset() -> None:
    second = second_message_offset()
    (total,) = struct.unpack_from(">I", BODY, second)
    with pytest.raises(EventStreamError, match="message's CRC32") as info:
        parse(corrupt(second + total - 10))  # a payload byte
    assert info.value.offset == second + total - 4


def frame(total: int, headers: int, rest: bytes = b"") -> bytes:
    """A prelude with a valid checksum around lengths that may be impossible."""
    prelude = struct.pack(">II", total, headers)
    return prelude + struct.pack(">I", zlib.crc32(prelude)) + rest


@pytest.mark.parametrize(
    ("body", "offset", "problem"),
    [
        (frame(8, 0), 0, "message length of 8 bytes"),
        (frame(17 * 1024 * 1024, 0), 0, "message length of 17825792"),
        (frame(40, 30), 4, "headers of 30 bytes"),
    ],
)
def test_impossible_lengths_name_their_offset(body: bytes, offset: int, problem: str) -> None:
    with pytest.raises(EventStreamError, match=problem) as info:
        parse(body)
    assert info.value.offset == offset


def test_broken_headers_name_their_offset() -> None:
    unknown_type = b"\x01a\x0a"  # type 10 does not exist
    with pytest.raises(EventStreamError, match="unknown type 10") as info:
        parse(BODY + _with_headers(unknown_type))
    assert info.value.offset == len(BODY) + 12
    for short in (
        b"\x01a\x07\x00\x09abc",  # a string that says 9 bytes and holds 3
        b"\x01a\x07\x00",  # a string whose length is cut in half
        b"\x01a\x05\x00\x00",  # a long (8 bytes) with 2
        b"\x05ab",  # a name longer than the headers
    ):
        with pytest.raises(EventStreamError, match="runs past the headers") as info:
            parse(_with_headers(short))
        assert info.value.offset == 12


def _with_headers(raw: bytes) -> bytes:
    """A message whose header section is ``raw``, checksums right."""
    total = 12 + len(raw) + 4
    prelude = struct.pack(">II", total, len(raw))
    body = prelude + struct.pack(">I", zlib.crc32(prelude)) + raw
    return body + struct.pack(">I", zlib.crc32(body))


def test_a_body_that_ends_inside_a_message_is_interrupted() -> None:
    parser = EventStreamParser(provider="bedrock")
    assert len(parser.feed(BODY[:-3])) == 3
    with pytest.raises(StreamInterruptedError, match="inside the message at byte"):
        parser.close()


def test_an_error_message_ends_the_stream_with_its_code() -> None:
    error = encode_message(
        [
            (":message-type", "error"),
            (":error-code", "InternalFailure"),
            (":error-message", "the stream failed"),
        ],
        b"",
    )
    with pytest.raises(ProviderError, match="InternalFailure: the stream failed") as info:
        parse(BODY[:30], BODY[30:] + error)
    assert info.value.code == "InternalFailure"


def test_a_payload_that_is_not_utf8_is_named() -> None:
    [message] = parse(encode_message([(":event-type", "x")], b"\xff\xfe"))
    with pytest.raises(EventStreamError, match="not UTF-8"):
        message.text()
