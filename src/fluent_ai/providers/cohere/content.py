"""Message parts to Cohere content items, and back.

Cohere's v2 content is a string or a list of items: ``{"type": "text", "text"}`` and
``{"type": "image_url", "image_url": {"url", "detail"}}`` in user turns, ``text`` and
``{"type": "thinking", "thinking"}`` in assistant turns (reasoning models), ``text``
in system and tool turns. There is no file or PDF input: documents for grounded
answers go in the request's top-level ``documents`` (through ``ChatRequest.extra``),
so a :class:`~fluent_ai.types.DocumentPart` is refused rather than dropped.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.types import (
    ImagePart,
    Part,
    TextPart,
    ThinkingPart,
    UnsupportedFeatureError,
)

PROVIDER = "cohere"

Item = dict[str, Any]


def encode_content(parts: Sequence[Part]) -> str | list[Item]:
    """A lone text part as a plain string, anything else as a list of items."""
    if len(parts) == 1 and isinstance(parts[0], TextPart):
        return parts[0].text
    return [item for part in parts if (item := encode_part(part)) is not None]


def encode_part(part: Part) -> Item | None:
    """One part as an item; ``None`` for thinking with no readable text (redacted)."""
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ThinkingPart):
        return {"type": "thinking", "thinking": part.text} if part.text else None
    if isinstance(part, ImagePart):
        image: dict[str, Any] = {"url": part.data_url}
        if part.detail is not None:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    if part.type == "document":
        raise UnsupportedFeatureError(
            "Cohere's chat takes no files in messages: pass the document's text as "
            "extra={'documents': [...]} instead",
            provider=PROVIDER,
        )
    raise UnsupportedFeatureError(
        f"a {part.type} part cannot be sent as Cohere message content", provider=PROVIDER
    )


def read_content(content: Any) -> list[Part]:
    """The parts a message's content stands for (``None`` is no parts)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [TextPart(text=content)]
    return [read_item(item) for item in content]


def read_item(item: Mapping[str, Any]) -> Part:
    kind = item.get("type")
    if kind == "text":
        return TextPart(text=item["text"])
    if kind == "thinking":
        return ThinkingPart(text=item["thinking"])
    if kind == "image_url":
        image = item["image_url"]
        url, detail = image["url"], image.get("detail")
        if not url.startswith("data:"):
            return ImagePart(url=url, detail=detail)
        media_type, data = _data_url(url)
        return ImagePart(data=data, media_type=media_type, detail=detail)
    raise UnsupportedFeatureError(
        f"Cohere {kind!r} content items have no neutral form", provider=PROVIDER
    )


def _data_url(url: str) -> tuple[str, bytes]:
    header, _, payload = url[5:].partition(",")
    media_type, _, encoding = header.partition(";")
    if encoding != "base64":
        raise UnsupportedFeatureError("only base64 data: URLs are supported", provider=PROVIDER)
    try:
        return media_type, base64.b64decode(payload, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 in a data: URL: {exc}") from exc
