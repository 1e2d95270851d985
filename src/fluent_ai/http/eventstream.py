"""AWS event streams (``application/vnd.amazon.eventstream``): Bedrock's stream format.

Transport framing, like server-sent events and JSON lines, so it lives beside them in
layer 1: this module knows frames, typed headers and checksums, and nothing of the
service whose events they carry (Bedrock's events are read in
:mod:`fluent_ai.providers.bedrock.stream`). A message on the wire is::

    prelude   total length (uint32) | headers length (uint32) | CRC32 of those 8 bytes
    headers   name length (uint8) | name (UTF-8) | value type (uint8) | value, repeated
    payload   total length - headers length - 16 bytes
    trailer   CRC32 of everything before it

All integers are big-endian. Header values are typed: 0 true, 1 false, 2 byte, 3 short,
4 integer, 5 long (signed), 6 bytes and 7 string (uint16 length first), 8 timestamp
(int64 milliseconds since the epoch), 9 UUID (16 bytes).

:class:`EventStreamParser` is fed bytes as they arrive, cut anywhere, and returns each
message once its last byte is in; the messages never depend on where the cuts fell.
Both checksums are verified and lengths that cannot be right are refused, each with an
:class:`EventStreamError` naming the byte offset in the body. A message of the
framing's own ``error`` type (``:error-code``, ``:error-message``) ends the stream with
a :class:`~fluent_ai.types.errors.ProviderError`; ``event`` and ``exception``
messages are handed over, since only the service knows what its exceptions mean.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import AsyncGenerator, AsyncIterable, Iterable, Iterator
from contextlib import aclosing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from fluent_ai.types.errors import BadResponseError, ProviderError, StreamInterruptedError

HeaderValue = bool | int | bytes | str | datetime | uuid.UUID

PRELUDE = 12
"""Bytes before the headers: two lengths and the prelude's checksum."""
OVERHEAD = PRELUDE + 4
"""The smallest message: a prelude and the trailing checksum, no headers, no payload."""
MAX_MESSAGE = 16 * 1024 * 1024
"""AWS's limit on one message (16 MiB); a larger length is corruption, not a message."""
MAX_HEADERS = 128 * 1024
"""AWS's limit on the headers of one message (128 KiB)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SIZES = {0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
"""The value sizes of the fixed-size header types; 6 and 7 say theirs in two bytes."""


class EventStreamError(BadResponseError):
    """The body is not a well-formed event stream; ``offset`` is where it went wrong."""

    def __init__(self, problem: str, *, offset: int, provider: str | None = None) -> None:
        self.offset = offset
        super().__init__(
            f"the event stream is corrupt at byte {offset}: {problem}. The body was damaged "
            "on the way (a proxy that rewrites bodies, a broken connection) or is not an "
            "AWS event stream; send the request again, bypassing such proxies",
            provider=provider,
        )


@dataclass(frozen=True, slots=True)
class EventStreamMessage:
    """One message: its typed headers, its payload and where it began in the body."""

    headers: dict[str, HeaderValue]
    payload: bytes
    offset: int = 0

    @property
    def message_type(self) -> str:
        """``event``, ``exception`` or ``error`` (``:message-type``; ``event`` if absent)."""
        return self.string(":message-type") or "event"

    @property
    def event_type(self) -> str | None:
        return self.string(":event-type")

    @property
    def exception_type(self) -> str | None:
        return self.string(":exception-type")

    @property
    def content_type(self) -> str | None:
        return self.string(":content-type")

    @property
    def name(self) -> str:
        """What the message is: its ``:event-type``, or ``:exception-type`` for an
        exception. In AWS's service models both are members of one event union."""
        if self.message_type == "exception":
            return self.exception_type or "exception"
        return self.event_type or self.message_type

    def text(self, *, provider: str | None = None) -> str:
        """The payload as text (AWS's JSON payloads are UTF-8)."""
        try:
            return self.payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = f"the payload of the {self.name!r} message is not UTF-8 ({exc.reason})"
            raise EventStreamError(problem, offset=self.offset, provider=provider) from exc

    def string(self, name: str) -> str | None:
        """The header ``name`` when it holds a string, else ``None``."""
        value = self.headers.get(name)
        return value if isinstance(value, str) else None


class EventStreamParser:
    """Incremental parser: :meth:`feed` it chunks as they arrive, then :meth:`close` it."""

    def __init__(self, *, provider: str | None = None) -> None:
        self.provider = provider
        self._buffer = bytearray()
        self._offset = 0  # where the buffer's first byte sits in the body

    def feed(self, chunk: bytes) -> list[EventStreamMessage]:
        """The messages that ``chunk`` completes."""
        self._buffer += chunk
        messages = []
        while len(self._buffer) >= PRELUDE:
            total = self._check_prelude()
            if len(self._buffer) < total:
                break
            messages.append(self._message(total))
            del self._buffer[:total]
            self._offset += total
        return messages

    def close(self) -> None:
        """Raise :class:`StreamInterruptedError` if the body ended inside a message."""
        if self._buffer:
            raise StreamInterruptedError(
                f"the event stream ended inside the message at byte {self._offset}: "
                f"{len(self._buffer)} of its bytes arrived, then the body ended",
                provider=self.provider,
            )

    def _error(self, problem: str, at: int) -> EventStreamError:
        return EventStreamError(problem, offset=self._offset + at, provider=self.provider)

    def _check_prelude(self) -> int:
        """The message's total length, once the prelude's checksum and lengths hold up."""
        total: int
        headers: int
        checksum: int
        total, headers, checksum = struct.unpack_from(">III", self._buffer)
        computed = zlib.crc32(self._buffer[:8])
        if computed != checksum:
            raise self._error(
                f"the prelude's CRC32 is {checksum:#010x}, but its bytes give {computed:#010x}",
                8,
            )
        if not OVERHEAD <= total <= MAX_MESSAGE:
            raise self._error(
                f"a message length of {total} bytes (a message takes {OVERHEAD} to "
                f"{MAX_MESSAGE} bytes)",
                0,
            )
        if headers > min(total - OVERHEAD, MAX_HEADERS):
            raise self._error(
                f"headers of {headers} bytes in a message of {total} bytes (at most "
                f"{min(total - OVERHEAD, MAX_HEADERS)} fit)",
                4,
            )
        return total

    def _message(self, total: int) -> EventStreamMessage:
        data = bytes(self._buffer[:total])  # a copy: feed() shortens the buffer next
        checksum = int.from_bytes(data[-4:], "big")
        computed = zlib.crc32(memoryview(data)[:-4])
        if computed != checksum:
            raise self._error(
                f"the message's CRC32 is {checksum:#010x}, but its bytes give {computed:#010x}",
                total - 4,
            )
        end = PRELUDE + int.from_bytes(data[4:8], "big")
        message = EventStreamMessage(self._headers(data, end), data[end:-4], self._offset)
        if message.message_type == "error":
            code = message.string(":error-code") or "unknown"
            said = message.string(":error-message") or "no message"
            raise ProviderError(
                f"the event stream reported an error: {code}: {said}",
                provider=self.provider,
                code=code,
            )
        return message

    def _headers(self, data: bytes, end: int) -> dict[str, HeaderValue]:
        """The headers in ``data[PRELUDE:end]``; errors name the header's first byte."""
        headers: dict[str, HeaderValue] = {}
        at = PRELUDE
        while at < end:
            size = data[at]
            name_end = at + 1 + size
            if size == 0 or name_end >= end:
                raise self._error("a header name that runs past the headers", at)
            try:
                name = data[at + 1 : name_end].decode("utf-8")
            except UnicodeDecodeError:
                raise self._error("a header name that is not UTF-8", at) from None
            headers[name], at = self._value(data, name_end, end, at)
        return headers

    def _value(self, data: bytes, at: int, end: int, start: int) -> tuple[HeaderValue, int]:
        """The value whose type byte is at ``at``, and where the next header begins."""
        kind = data[at]
        at += 1
        short = f"a header value of type {kind} that runs past the headers"
        size = _SIZES.get(kind)
        if kind in (6, 7):
            if at + 2 > end:
                raise self._error(short, start)
            size = int.from_bytes(data[at : at + 2], "big")
            at += 2
        elif size is None:
            raise self._error(f"a header value of unknown type {kind}", start)
        if at + size > end:
            raise self._error(short, start)
        raw, after = data[at : at + size], at + size
        if kind == 7:
            try:
                return raw.decode("utf-8"), after
            except UnicodeDecodeError:
                raise self._error("a string header value that is not UTF-8", start) from None
        if kind == 6:
            return raw, after
        if kind in (0, 1):
            return kind == 0, after
        if kind == 9:
            return uuid.UUID(bytes=raw), after
        number = int.from_bytes(raw, "big", signed=True)
        return (_EPOCH + timedelta(milliseconds=number) if kind == 8 else number), after


def iter_event_stream(
    chunks: Iterable[bytes], *, provider: str | None = None
) -> Iterator[EventStreamMessage]:
    """Messages from a body given as byte chunks, from synchronous code."""
    parser = EventStreamParser(provider=provider)
    for chunk in chunks:
        yield from parser.feed(chunk)
    parser.close()


async def aiter_event_stream(
    chunks: AsyncIterable[bytes], *, provider: str | None = None
) -> AsyncGenerator[EventStreamMessage, None]:
    """Messages from a body given as byte chunks, each as soon as its last byte arrives."""
    parser = EventStreamParser(provider=provider)
    async for chunk in chunks:
        for message in parser.feed(chunk):
            yield message
    parser.close()


async def aiter_event_stream_response(
    response: httpx.Response, *, provider: str | None = None
) -> AsyncGenerator[EventStreamMessage, None]:
    """Messages from a streamed response (from :meth:`HttpClient.stream`)."""
    body = response.aiter_bytes()
    async with aclosing(aiter_event_stream(body, provider=provider)) as messages:
        async for message in messages:
            yield message
