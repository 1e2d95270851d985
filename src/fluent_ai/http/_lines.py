"""Bytes as they arrive off the wire, split into text lines.

The network cuts a body wherever it likes: inside a multi-byte UTF-8 character, or
between the ``\\r`` and ``\\n`` of one line break. :class:`LineReader` keeps what it
cannot use yet until the next chunk comes, so the lines it returns never depend on
where the cuts fell. ``\\n``, ``\\r\\n`` and a lone ``\\r`` all end a line, as the SSE
specification requires (JSON text never holds a raw ``\\r``, so JSON lines agree).
"""

from __future__ import annotations

import codecs
import re

from fluent_ai.types.errors import BadResponseError, redact

_BREAK = re.compile(r"\r\n|\r|\n")

PREVIEW_CHARS = 200
"""How much of a bad body an error message quotes."""


class LineReader:
    """Incremental UTF-8 decoding and line splitting; ``provider`` labels its errors.

    It remembers the first bytes of the body, so an error can say what arrived
    instead of what the parser expected.
    """

    def __init__(self, *, provider: str | None = None) -> None:
        self.provider = provider
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._head = bytearray()
        self._started = False
        self._partial: list[str] = []
        self._skip_lf = False

    def feed(self, chunk: bytes) -> list[str]:
        """The lines that ``chunk`` completes, without their line endings."""
        if len(self._head) < PREVIEW_CHARS:
            self._head += chunk[: PREVIEW_CHARS - len(self._head)]
        return self._split(self._decode(chunk, final=False))

    def close(self) -> list[str]:
        """The last line, when the body did not end with a line break."""
        lines = self._split(self._decode(b"", final=True))
        rest = "".join(self._partial)
        self._partial = []
        return [*lines, rest] if rest else lines

    def error(self, problem: str) -> BadResponseError:
        """A :class:`BadResponseError` that quotes the start of the body."""
        message = f"{problem}; the body began {self.preview()}"
        return BadResponseError(message, provider=self.provider)

    def preview(self) -> str:
        """The first bytes of the body as text, keys redacted, for error messages."""
        return repr(redact(self._head.decode("utf-8", errors="replace")))

    def _decode(self, chunk: bytes, *, final: bool) -> str:
        try:
            text = self._utf8.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            raise self.error(f"the body is not valid UTF-8 ({exc.reason})") from exc
        if not self._started and text:
            self._started = True
            # A byte order mark is not content: the SSE specification says to drop it.
            text = text.removeprefix("\ufeff")
        return text

    def _split(self, text: str) -> list[str]:
        if self._skip_lf and text:
            # The last chunk ended in "\r": a line ended there, and this "\n" is its tail.
            self._skip_lf = False
            text = text.removeprefix("\n")
        if not text:
            return []
        # str.split is several times faster than the regular expression, and most
        # servers send "\n" alone; "\r" anywhere in the text takes the general path.
        *lines, rest = _BREAK.split(text) if "\r" in text else text.split("\n")
        if lines:
            lines[0] = "".join(self._partial) + lines[0]
            self._partial = []
        self._partial.append(rest)
        # A line ending in "\r" is complete now; waiting to see whether "\n" follows
        # would hold back an event in a stream that uses lone "\r" line breaks.
        self._skip_lf = text.endswith("\r")
        return lines
