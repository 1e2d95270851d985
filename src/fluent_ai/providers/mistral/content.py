"""Message parts to Mistral content chunks, and back.

Mistral's content is a string or a list of chunks: ``text``; ``image_url``, whose value
is a URL string or ``{"url", "detail"}``; ``document_url``, a URL or a ``data:`` URL with
an optional ``document_name``; and, from the Magistral reasoning models, ``thinking``,
whose ``thinking`` is itself a list of text chunks. Parts and chunks map one to one.
Images are always sent in the object form, which both Mistral's documentation and the
recorded traffic use.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.providers.response_fields import optional_objects, optional_text
from fluent_ai.types import (
    DocumentPart,
    ImagePart,
    Part,
    StreamEvent,
    TextDelta,
    TextPart,
    ThinkingDelta,
    ThinkingPart,
    UnsupportedFeatureError,
)

PROVIDER = "mistral"

Chunk = dict[str, Any]


def encode_content(parts: Sequence[Part]) -> str | list[Chunk]:
    """A lone text part as a plain string, anything else as a list of chunks."""
    if len(parts) == 1 and isinstance(parts[0], TextPart):
        return parts[0].text
    return [chunk for part in parts if (chunk := encode_part(part)) is not None]


def encode_part(part: Part) -> Chunk | None:
    """One part as a chunk; ``None`` for thinking that has no readable text (redacted)."""
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ThinkingPart):
        if not part.text:
            return None
        return {"type": "thinking", "thinking": [{"type": "text", "text": part.text}]}
    if isinstance(part, ImagePart):
        image: dict[str, Any] = {"url": part.data_url}
        if part.detail is not None:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    if isinstance(part, DocumentPart):
        chunk: Chunk = {"type": "document_url", "document_url": part.data_url}
        if part.name is not None:
            chunk["document_name"] = part.name
        return chunk
    raise UnsupportedFeatureError(
        f"a {part.type} part cannot be sent as Mistral message content", provider=PROVIDER
    )


def read_content(content: Any) -> list[Part]:
    """The parts a message's content stands for (``None`` and ``[]`` are no parts)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [TextPart(text=content)]
    return [read_chunk(chunk) for chunk in content]


def read_chunk(chunk: Mapping[str, Any]) -> Part:
    kind = chunk.get("type")
    if kind == "text":
        return TextPart(text=chunk["text"])
    if kind == "thinking":
        return ThinkingPart(text=thinking_text(chunk))
    if kind == "image_url":
        image = chunk["image_url"]
        url = image if isinstance(image, str) else image["url"]
        detail = None if isinstance(image, str) else image.get("detail")
        inline = data_url(url)
        if inline is None:
            return ImagePart(url=url, detail=detail)
        return ImagePart(data=inline[1], media_type=inline[0], detail=detail)
    if kind == "document_url":
        url, name = chunk["document_url"], chunk.get("document_name")
        inline = data_url(url)
        if inline is None:
            return DocumentPart(url=url, name=name)
        return DocumentPart(data=inline[1], media_type=inline[0], name=name)
    raise UnsupportedFeatureError(
        f"Mistral {kind!r} content chunks have no neutral form", provider=PROVIDER
    )


def content_events(content: Any) -> tuple[list[StreamEvent], list[Chunk]]:
    """A response message's (or a stream delta's) content as events.

    Also returns the chunks with no neutral part (``reference`` chunks, say), so the
    caller can hand them over as provider data rather than drop them.
    """
    if isinstance(content, str):
        return ([TextDelta(content)] if content else []), []
    events: list[StreamEvent] = []
    unread: list[Chunk] = []
    for chunk in optional_objects({"content": content}, "content", PROVIDER):
        kind = chunk.get("type")
        if kind == "text":
            if text := optional_text(chunk, "text", PROVIDER):
                events.append(TextDelta(text))
        elif kind == "thinking":
            text = thinking_text(chunk)
            if text:
                events.append(ThinkingDelta(text))
        else:
            unread.append(dict(chunk))
    return events, unread


def thinking_text(chunk: Mapping[str, Any]) -> str:
    """The text of a ``thinking`` chunk: its inner text chunks, joined."""
    inner = chunk.get("thinking")
    if not isinstance(inner, list):
        return ""
    return "".join(
        item["text"]
        for item in inner
        if isinstance(item, Mapping)
        and item.get("type") == "text"
        and isinstance(item.get("text"), str)
    )


def data_url(url: str) -> tuple[str, bytes] | None:
    """``(media type, bytes)`` for a base64 ``data:`` URL; ``None`` for any other URL."""
    if not url.startswith("data:"):
        return None
    header, _, payload = url[5:].partition(",")
    media_type, _, encoding = header.partition(";")
    if encoding != "base64":
        raise UnsupportedFeatureError("only base64 data: URLs are supported", provider=PROVIDER)
    try:
        return media_type, base64.b64decode(payload, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 in a data: URL: {exc}") from exc
