"""Message parts to Responses content parts, and back.

The content parts are ``input_text``, ``input_image`` and ``input_file``.

:func:`encode_part` and :func:`read_part` are inverses wherever a content part has a
neutral part. Parts that have none (an image or file by ``file_id``, ``input_audio``)
read as ``None``; the message that holds them then travels verbatim beside the
conversation (see :mod:`fluent_ai.providers.responses.history`).

Images go as URLs, inline bytes as ``data:`` URLs; documents go by ``file_url`` or
inline as ``file_data`` (a ``data:`` URL) with their name as ``filename``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fluent_ai.types import (
    DocumentPart,
    ImagePart,
    Part,
    TextPart,
    ThinkingPart,
    UnsupportedFeatureError,
)

Wire = dict[str, Any]


def encode_content(parts: Sequence[Part], *, provider: str) -> str | list[Wire]:
    """A message's content: one text part as a plain string, anything else as a list.

    Thinking is not content the model can be sent in a user or system turn; it is left out.
    """
    sent = [part for part in parts if not isinstance(part, ThinkingPart)]
    if len(sent) == 1 and isinstance(sent[0], TextPart):
        return sent[0].text
    return [encode_part(part, provider=provider) for part in sent]


def encode_part(part: Part, *, provider: str) -> Wire:
    if isinstance(part, TextPart):
        return {"type": "input_text", "text": part.text}
    if isinstance(part, ImagePart):
        image: Wire = {"type": "input_image", "image_url": part.data_url}
        if part.detail is not None:
            image["detail"] = part.detail
        return image
    if isinstance(part, DocumentPart):
        source = "file_url" if part.url is not None else "file_data"
        document: Wire = {"type": "input_file", source: part.data_url}
        if part.name is not None:
            document["filename"] = part.name
        return document
    raise UnsupportedFeatureError(
        f"a {part.type} part cannot be sent as message content in the Responses API",
        provider=provider,
    )


def read_content(content: str | Iterable[Mapping[str, Any]]) -> list[Part]:
    """The neutral reading of a message's content (a string is one text part)."""
    if isinstance(content, str):
        return [TextPart(text=content)]
    return [part for item in content if (part := read_part(item)) is not None]


def read_part(item: Mapping[str, Any]) -> Part | None:
    """The neutral part a content part stands for, or ``None`` when it has none.

    ``output_text`` reads as text too: it is how an assistant turn spells its text.
    """
    kind = item.get("type")
    if kind in ("input_text", "output_text"):
        return TextPart(text=item["text"])
    if kind == "input_image" and isinstance(item.get("image_url"), str):
        return _image(item["image_url"], item.get("detail"))
    if kind == "input_file":
        name = item.get("filename")
        if isinstance(item.get("file_url"), str):
            return DocumentPart(url=item["file_url"], name=name)
        if isinstance(item.get("file_data"), str):
            inline = data_url(item["file_data"])
            if inline is None:
                return DocumentPart(url=item["file_data"], name=name)
            return DocumentPart(data=inline[1], media_type=inline[0], name=name)
    return None


def data_url(url: str) -> tuple[str, bytes] | None:
    """``(media type, bytes)`` of a base64 ``data:`` URL; ``None`` for any other URL."""
    if not url.startswith("data:"):
        return None
    header, _, payload = url[5:].partition(",")
    media_type, _, encoding = header.partition(";")
    if encoding != "base64":
        return None
    try:
        return media_type, base64.b64decode(payload, validate=True)
    except binascii.Error:
        return None


def _image(url: str, detail: Any) -> ImagePart:
    level = detail if detail in ("auto", "low", "high") else None
    inline = data_url(url)
    if inline is None:
        return ImagePart(url=url, detail=level)
    return ImagePart(data=inline[1], media_type=inline[0], detail=level)
