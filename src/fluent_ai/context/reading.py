"""Reading files as context text, within size limits, refusing what is not text.

A file is read as a PDF when it is named ``.pdf`` or starts with the PDF signature;
otherwise it must be UTF-8 text (a byte-order mark is allowed and dropped). Binary
files are recognised by a NUL byte, which UTF-8 text never contains; anything else
that does not decode is refused as "not UTF-8" with the offending byte named.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from fluent_ai.context.document import ContextDocument, Skipped, Unusable
from fluent_ai.context.pdf import looks_like_pdf, pdf_text
from fluent_ai.templates.tokenizer import Tokenizer

DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
"""Per-file limit: 2 MiB of text is about half a million tokens, past any context window."""

DEFAULT_MAX_TOTAL_BYTES = 32 * 1024 * 1024
"""Per-source limit on the bytes read, so a stray huge tree costs seconds, not minutes."""


class FileReader:
    """Reads files one after another, keeping a running total against ``max_total_bytes``."""

    def __init__(self, tokenizer: Tokenizer, *, max_file_bytes: int, max_total_bytes: int) -> None:
        self.tokenizer = tokenizer
        self.max_file_bytes = max_file_bytes
        self.max_total_bytes = max_total_bytes
        self.total_bytes = 0

    def read(self, path: Path, display: str) -> ContextDocument | Skipped:
        """The file as a document, or the reason it cannot be one."""
        try:
            data = self._bytes(path)
            text = pdf_text(data) if looks_like_pdf(path.name, data) else decode_text(data)
        except Unusable as unusable:
            return Skipped(display, unusable.kind, unusable.reason)
        return ContextDocument(display, text, self.tokenizer.count(text))

    def _bytes(self, path: Path) -> bytes:
        try:
            info = path.stat()
        except OSError as error:
            raise Unusable("unreadable", _os_reason(error)) from error
        if not stat.S_ISREG(info.st_mode):
            raise Unusable("unreadable", "not a regular file")
        self._check_size(info.st_size)
        try:
            with path.open("rb") as file:
                # One byte past the limit tells a file that grew since stat() apart.
                data = file.read(self.max_file_bytes + 1)
        except OSError as error:
            raise Unusable("unreadable", _os_reason(error)) from error
        self._check_size(len(data))
        self.total_bytes += len(data)
        return data

    def _check_size(self, size: int) -> None:
        if size > self.max_file_bytes:
            raise Unusable(
                "too_large",
                f"{size:,} bytes, over the limit of {self.max_file_bytes:,} bytes per file",
            )
        if self.total_bytes + size > self.max_total_bytes:
            raise Unusable(
                "total_limit",
                f"{size:,} bytes would take the files read past the total limit of "
                f"{self.max_total_bytes:,} bytes ({self.total_bytes:,} read so far)",
            )


def decode_text(data: bytes) -> str:
    """``data`` as UTF-8 text, or :class:`Unusable` saying why it is not text."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise Unusable("binary", f"binary file (a NUL byte at offset {nul:,})")
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        raise Unusable(
            "undecodable", f"not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset:,})"
        ) from error


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)
