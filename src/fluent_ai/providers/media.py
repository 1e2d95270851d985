"""Inline media helpers shared by the protocols that carry bytes: base64 and file types.

A part given as bytes may lack a media type, which most vendors require; the first bytes
of the common image and document formats say what they are.
"""

from __future__ import annotations

import base64
import binascii

MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)
"""Leading bytes → media type (WebP, whose magic is split, is checked on its own)."""


def sniff_media_type(data: bytes) -> str | None:
    """The media type ``data``'s first bytes announce, or None for none known."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((media for magic, media in MAGIC if data.startswith(magic)), None)


def decode_base64(text: str) -> bytes:
    """Strict base64 (standard alphabet, padded); ValueError saying why otherwise."""
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 data: {exc}") from exc
