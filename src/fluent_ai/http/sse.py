"""Server-sent events: the stream format of OpenAI, Anthropic, Gemini and most others.

Fields are read by the WHATWG rules (``data`` lines joined with ``\\n``, one optional
space after the colon, ``:`` comments such as OpenRouter's ``: OPENROUTER PROCESSING``
ignored, the last ``id`` kept across events, an ``id`` holding NUL ignored) from lines
cut out of raw chunks by :class:`~fluent_ai.http._lines.LineReader`. A blank line
dispatches an event only if a ``data`` line came before it. The fields are read here,
inline, rather than by a general decoder object, because this loop runs for every
line of every streamed answer: per-chunk cost is one of the figures
``benchmarks/run.py`` measures. On top of that:

* **A body that ends without the closing blank line still yields its last event.** The
  specification drops such an event, but servers and proxies that close the connection
  right after the final ``data:`` line are common, and that line often carries the usage
  or the finish reason. Whether a stream really finished is the provider decoder's call
  (it knows the protocol's terminal event), not the transport's.
* **A body that is not SSE at all is an error, not silence.** Unknown fields are ignored
  as the specification says, but only once the body has shown a real SSE line; an HTML
  error page or a JSON error body where a stream was expected raises
  :class:`~fluent_ai.types.errors.BadResponseError` quoting what arrived.

OpenAI-style streams end with ``data: [DONE]``; it arrives as an ordinary event, and
:attr:`SSEEvent.is_done` names the check so consumers need not repeat the literal.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterable, Iterable, Iterator
from typing import Any, NamedTuple

import httpx

from fluent_ai.http._lines import LineReader

_FIELDS = frozenset({"data", "event", "id", "retry"})


class SSEEvent(NamedTuple):
    """One dispatched event. ``event`` is ``"message"`` when the server named none.

    A named tuple rather than a frozen dataclass: one is made for every event of every
    stream, and a frozen dataclass's ``__init__`` (a guarded ``__setattr__`` per field)
    costs about four times as much to build.
    """

    data: str
    event: str = "message"
    id: str = ""
    retry: int | None = None

    @property
    def is_done(self) -> bool:
        """True for OpenAI's end-of-stream marker, ``data: [DONE]``."""
        return self.data == "[DONE]"

    def json(self) -> Any:
        """``data`` parsed as JSON."""
        return json.loads(self.data)


class SSEParser:
    """Incremental parser: :meth:`feed` it chunks as they arrive, then :meth:`close` it."""

    def __init__(self, *, provider: str | None = None) -> None:
        self._reader = LineReader(provider=provider)
        self._recognised = False
        self._data: list[str] = []
        self._event = ""
        self._id = ""
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """The events that ``chunk`` completes."""
        return self._events(self._reader.feed(chunk))

    def close(self) -> list[SSEEvent]:
        """The events still pending when the body ends, the unterminated last one included."""
        # The empty line stands in for the blank line the server never sent.
        return self._events([*self._reader.close(), ""])

    def _events(self, lines: list[str]) -> list[SSEEvent]:
        events = []
        for line in lines:
            if not line:
                if self._data:
                    data = self._data[0] if len(self._data) == 1 else "\n".join(self._data)
                    events.append(SSEEvent(data, self._event or "message", self._id, self._retry))
                    self._data = []
                self._event = ""
                self._retry = None
                continue
            if not self._recognised:
                self._check_first_line(line)
            name, _, value = line.partition(":")
            if value[:1] == " ":
                value = value[1:]
            if name == "data":
                self._data.append(value)
            elif name == "event":
                self._event = value
            elif name == "id":
                if "\0" not in value:
                    self._id = value
            elif name == "retry":
                self._retry = _retry(value, self._retry)
            # Anything else (a ":" comment, an unknown field) is ignored, as specified.
        return events

    def _check_first_line(self, line: str) -> None:
        if line.startswith(":") or line.partition(":")[0] in _FIELDS:
            self._recognised = True
            return
        raise self._reader.error("expected a server-sent event stream")


def _retry(value: str, current: int | None) -> int | None:
    """A ``retry`` field's reconnection time in ms; a value that is no number is ignored."""
    try:
        return int(value)
    except ValueError:
        return current


def iter_sse(chunks: Iterable[bytes], *, provider: str | None = None) -> Iterator[SSEEvent]:
    """Events from a body given as byte chunks, from synchronous code."""
    parser = SSEParser(provider=provider)
    for chunk in chunks:
        yield from parser.feed(chunk)
    yield from parser.close()


async def aiter_sse(
    chunks: AsyncIterable[bytes], *, provider: str | None = None
) -> AsyncGenerator[SSEEvent, None]:
    """Events from a body given as byte chunks, as they complete."""
    parser = SSEParser(provider=provider)
    async for chunk in chunks:
        for event in parser.feed(chunk):
            yield event
    for event in parser.close():
        yield event


async def aiter_sse_response(
    response: httpx.Response, *, provider: str | None = None
) -> AsyncGenerator[SSEEvent, None]:
    """Events from a streamed response (from :meth:`HttpClient.stream`).

    The ``Content-Type`` is not checked: some OpenAI-compatible servers label their
    streams wrongly, and the body itself says whether it is SSE. The loop of
    :func:`aiter_sse` is written out here rather than delegated to it: one generator
    fewer for every event to pass through (the response is closed by its
    :meth:`~HttpClient.stream` context either way).
    """
    parser = SSEParser(provider=provider)
    async for chunk in response.aiter_bytes():
        for event in parser.feed(chunk):
            yield event
    for event in parser.close():
        yield event
