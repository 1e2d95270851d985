"""Text the CLI reads itself (stdin, files, command-line arguments), decoded robustly.

Python hands undecodable input on as lone surrogates (``surrogateescape``: stdin under
some locales, ``sys.argv`` always), and those blow up much later as a
``UnicodeEncodeError`` deep inside the HTTP client. So the CLI reads bytes and decodes
them itself: UTF-8, with or without a byte-order mark; any byte that is not UTF-8
becomes U+FFFD, and one line on stderr says how many bytes were replaced and where the
first one was, so a Latin-1 ``git diff`` still gets an answer and the user knows why a
few characters look wrong. Nothing that leaves this module holds a surrogate.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass

_ESCAPED = re.compile("[\udc80-\udcff]")
"""What ``surrogateescape`` makes of each byte that is not UTF-8: one lone surrogate."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Decoded:
    """Text, and what decoding had to replace: ``replaced`` bytes, the first at
    byte ``first_byte`` (0-based) on line ``first_line`` (1-based)."""

    text: str
    replaced: int = 0
    first_byte: int | None = None
    first_line: int | None = None

    def warning(self, source: str) -> str | None:
        """The line to show on stderr, or None when the input was clean UTF-8."""
        if not self.replaced:
            return None
        plural = "" if self.replaced == 1 else "s"
        return (
            f"warning: {source} is not valid UTF-8: replaced {self.replaced} byte{plural} "
            f"with U+FFFD (the first at byte {self.first_byte}, line {self.first_line})"
        )


def decode(data: bytes) -> Decoded:
    """``data`` as text: UTF-8 (a leading BOM dropped), each invalid byte as U+FFFD."""
    skipped = 0
    if data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
        data = data[skipped:]
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass  # not UTF-8 throughout: replace the bad bytes one by one below
    # One surrogate per undecodable byte, so counting and locating them is exact.
    escaped = data.decode("utf-8", "surrogateescape")
    first = _ESCAPED.search(escaped)
    replaced = len(_ESCAPED.findall(escaped))
    position = first.start() if first else 0
    before = escaped[:position]
    return Decoded(
        text=_ESCAPED.sub("\ufffd", escaped),
        replaced=replaced,
        # Counted in the input as given, byte-order mark included.
        first_byte=skipped + len(before.encode("utf-8")),
        first_line=before.count("\n") + 1,
    )


def read_stdin() -> str | None:
    """Piped stdin as text, or None when stdin is a terminal (or absent)."""
    stream = sys.stdin
    if stream is None or stream.isatty():
        return None
    return stdin_text()


def stdin_text() -> str:
    """All of stdin as text, piped or typed (empty when there is no stdin).

    Reads the bytes underneath ``sys.stdin`` and decodes them with :func:`decode`,
    warning on stderr when bytes had to be replaced.
    """
    stream = sys.stdin
    if stream is None:
        return ""
    raw = getattr(stream, "buffer", None)
    data = raw.read() if raw is not None else _encoded(stream.read())
    return _warned(decode(data), "stdin")


def read_file_text(path: str, data: bytes) -> str:
    """The text of a file the CLI read as ``data``, warning about replaced bytes."""
    return _warned(decode(data), path)


def argument(text: str, name: str) -> str:
    """A command-line argument without the surrogates Python makes of bytes that are
    not UTF-8 (``sys.argv`` is decoded with ``surrogateescape``)."""
    if not _LONE_SURROGATE.search(text):
        return text
    return _warned(decode(_encoded(text)), name)


def _encoded(text: str) -> bytes:
    """Text back to bytes: escaped bytes become what they were; any other lone
    surrogate becomes bytes that are not UTF-8, which :func:`decode` then replaces.

    Character by character when both kinds are present, so that one surrogate of the
    other kind does not turn every escaped byte into three."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return b"".join(_encoded_char(char) for char in text)


def _encoded_char(char: str) -> bytes:
    try:
        return char.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return char.encode("utf-8", "surrogatepass")


def _warned(decoded: Decoded, source: str) -> str:
    message = decoded.warning(source)
    if message is not None:
        print(message, file=sys.stderr)
    return decoded.text
