"""Newline-delimited JSON streams (NDJSON), the stream format of Ollama.

Each non-blank line is one JSON value. Lines are cut from raw chunks by
:class:`~fluent_ai.http._lines.LineReader`, so a value split across chunks, even inside
a multi-byte character, parses the same as one sent whole; a last line without its
line break still counts. A line that is not JSON raises
:class:`~fluent_ai.types.errors.BadResponseError` naming the line and quoting it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterable, Iterable, Iterator
from contextlib import aclosing
from typing import Any

import httpx

from fluent_ai.http._lines import PREVIEW_CHARS, LineReader
from fluent_ai.types.errors import BadResponseError, redact


class JSONLinesParser:
    """Incremental parser: :meth:`feed` it chunks as they arrive, then :meth:`close` it."""

    def __init__(self, *, provider: str | None = None) -> None:
        self._reader = LineReader(provider=provider)
        self._line_number = 0

    def feed(self, chunk: bytes) -> list[Any]:
        """The values on the lines that ``chunk`` completes."""
        return self._values(self._reader.feed(chunk))

    def close(self) -> list[Any]:
        """The value on the last line, when the body did not end with a line break."""
        return self._values(self._reader.close())

    def feed_lines(self, chunk: bytes) -> list[str]:
        """The non-blank lines that ``chunk`` completes, as text, not parsed.

        For a reader that parses each line itself (a provider's stream decoder): parsing
        here, then handing the value on as text to be parsed again, would read every
        line twice.
        """
        return [line for line in self._reader.feed(chunk) if line.strip()]

    def close_lines(self) -> list[str]:
        """The last line as text (see :meth:`feed_lines`), when it had no line break."""
        return [line for line in self._reader.close() if line.strip()]

    def _values(self, lines: list[str]) -> list[Any]:
        values = []
        for line in lines:
            self._line_number += 1
            if not line.strip():
                continue
            try:
                values.append(json.loads(line))
            except ValueError as exc:
                quoted = repr(redact(line[:PREVIEW_CHARS]))
                raise BadResponseError(
                    f"line {self._line_number} of the JSON-lines stream is not JSON "
                    f"({exc}): {quoted}",
                    provider=self._reader.provider,
                ) from exc
        return values


def iter_json_lines(chunks: Iterable[bytes], *, provider: str | None = None) -> Iterator[Any]:
    """Values from a body given as byte chunks, from synchronous code."""
    parser = JSONLinesParser(provider=provider)
    for chunk in chunks:
        yield from parser.feed(chunk)
    yield from parser.close()


async def aiter_json_lines(
    chunks: AsyncIterable[bytes], *, provider: str | None = None
) -> AsyncGenerator[Any, None]:
    """Values from a body given as byte chunks, as their lines complete."""
    parser = JSONLinesParser(provider=provider)
    async for chunk in chunks:
        for value in parser.feed(chunk):
            yield value
    for value in parser.close():
        yield value


async def aiter_json_lines_response(
    response: httpx.Response, *, provider: str | None = None
) -> AsyncGenerator[Any, None]:
    """Values from a streamed response (from :meth:`HttpClient.stream`)."""
    async with aclosing(aiter_json_lines(response.aiter_bytes(), provider=provider)) as values:
        async for value in values:
            yield value
