"""Message parts to Anthropic content blocks, and back.

:func:`encode_part` and :func:`read_block` are inverses wherever a block has a neutral
part, and :func:`is_neutral` is exactly that test: ``encode_part(read_block(b)) == b``.
Blocks that fail it (server tool calls and their results, citations, ``cache_control``,
tool results that hold images) still get their closest neutral reading, so code that
only looks at parts sees the conversation, while their exact spelling travels beside
the message (see :mod:`fluent_ai.providers.anthropic.history`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from typing import Any

from fluent_ai.providers.anthropic.text_blocks import TextBoundary
from fluent_ai.providers.media import decode_base64, sniff_media_type
from fluent_ai.types import (
    DocumentPart,
    ImagePart,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    UnsupportedFeatureError,
)

Block = dict[str, Any]


def encode_content(parts: Iterable[Part]) -> list[Block]:
    """The content blocks for a message's parts (unsigned thinking is left out)."""
    return [block for part in parts if (block := encode_part(part)) is not None]


def encode_part(part: Part) -> Block | None:
    """One part as a content block; ``None`` for reasoning Anthropic would reject.

    Anthropic only accepts thinking it signed itself, so a :class:`ThinkingPart` with
    neither a signature nor redacted data (reasoning from another model) is not sent.
    """
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ToolCallPart):
        return {"type": "tool_use", "id": part.id, "name": part.name, "input": _input(part)}
    if isinstance(part, ToolResultPart):
        return {
            "type": "tool_result",
            "tool_use_id": part.tool_call_id,
            "content": part.content,
            "is_error": part.is_error,
        }
    if isinstance(part, ThinkingPart):
        if part.redacted is not None:
            return {"type": "redacted_thinking", "data": part.redacted}
        if part.signature is None:
            return None
        return {"type": "thinking", "thinking": part.text, "signature": part.signature}
    if isinstance(part, ImagePart):
        # ``detail`` is OpenAI's resolution hint; Anthropic has no counterpart.
        return {"type": "image", "source": _source(part)}
    block: Block = {"type": "document", "source": _document_source(part)}
    if part.name is not None:
        block["title"] = part.name
    return block


def read_content(content: str | Iterable[Mapping[str, Any]]) -> list[Part]:
    """The neutral reading of a message's content (a string is one text block).

    Text after blocks without a part starts with a paragraph break, as in a decoded
    answer (:mod:`fluent_ai.providers.anthropic.text_blocks`).
    """
    if isinstance(content, str):
        return [TextPart(text=content)]
    parts: list[Part] = []
    boundary = TextBoundary()
    for block in content:
        part = read_block(block)
        separator = boundary.block(block.get("type"), readable=part is not None)
        if isinstance(part, TextPart):
            boundary.text(part.text)
            part = TextPart(text=separator + part.text) if separator else part
        if part is not None:
            parts.append(part)
    return parts


def read_block(block: Mapping[str, Any]) -> Part | None:
    """The neutral part a block stands for, or ``None`` when it has none."""
    kind = block.get("type")
    if kind == "text":
        return TextPart(text=block["text"])
    if kind == "tool_use":
        arguments = json.dumps(block.get("input") or {}, ensure_ascii=False)
        return ToolCallPart(id=block["id"], name=block["name"], arguments=arguments)
    if kind == "tool_result":
        return ToolResultPart(
            tool_call_id=block["tool_use_id"],
            content=_result_text(block.get("content", "")),
            is_error=bool(block.get("is_error", False)),
        )
    if kind == "thinking":
        return ThinkingPart(text=block.get("thinking", ""), signature=block.get("signature"))
    if kind == "redacted_thinking":
        return ThinkingPart(redacted=block["data"])
    if kind == "image":
        return _read_image(block.get("source") or {})
    if kind == "document":
        return _read_document(block.get("source") or {}, block.get("title"))
    return None


def is_neutral(block: Mapping[str, Any]) -> bool:
    """Whether the block's neutral part spells it back exactly."""
    part = read_block(block)
    if part is None:
        return False
    try:
        return encode_part(part) == block
    except UnsupportedFeatureError:
        return False  # e.g. tool input that is not an object: only the raw block holds it


def _input(part: ToolCallPart) -> dict[str, Any]:
    try:
        value = json.loads(part.arguments or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise UnsupportedFeatureError(
            f"tool call {part.id!r} ({part.name}) has arguments that are not a JSON object, "
            "and Anthropic accepts only objects as tool input",
            provider="anthropic",
        )
    return value


def _result_text(content: str | list[Mapping[str, Any]]) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(block["text"] for block in content if block.get("type") == "text")


def _inline(part: ImagePart | DocumentPart) -> tuple[str, str | None] | None:
    """``(base64 text, media type)`` for inline bytes or a ``data:`` URL; ``None`` for a URL."""
    if part.data is not None:
        return part.base64, part.media_type or sniff_media_type(part.data)
    url = part.url or ""
    if not url.startswith("data:"):
        return None
    header, _, payload = url[5:].partition(",")
    media_type, _, encoding = header.partition(";")
    if encoding != "base64":
        raise UnsupportedFeatureError("Anthropic needs data: URLs in base64", provider="anthropic")
    return payload, media_type or None


def _source(part: ImagePart) -> Block:
    inline = _inline(part)
    if inline is None:
        return {"type": "url", "url": part.url}
    data, media_type = inline
    if media_type is None:
        raise UnsupportedFeatureError(
            "an inline image needs its media_type (image/png, image/jpeg, image/gif or image/webp)",
            provider="anthropic",
        )
    return {"type": "base64", "media_type": media_type, "data": data}


def _document_source(part: DocumentPart) -> Block:
    if part.data is not None and (part.media_type or "").startswith("text/"):
        # Anthropic reads plain text from a "text" source, which takes only text/plain:
        # Markdown, CSV and the like are plain text too.
        return {"type": "text", "media_type": "text/plain", "data": part.data.decode("utf-8")}
    inline = _inline(part)
    if inline is None:
        return {"type": "url", "url": part.url}
    data, media_type = inline
    if media_type is None:
        raise UnsupportedFeatureError(
            "an inline document needs its media_type (application/pdf or text/plain)",
            provider="anthropic",
        )
    if media_type.startswith("text/"):
        text = base64.b64decode(data).decode("utf-8")
        return {"type": "text", "media_type": "text/plain", "data": text}
    return {"type": "base64", "media_type": media_type, "data": data}


def _read_image(source: Mapping[str, Any]) -> ImagePart | None:
    if source.get("type") == "url":
        return ImagePart(url=source["url"])
    if source.get("type") == "base64":
        return ImagePart(data=decode_base64(source["data"]), media_type=source.get("media_type"))
    return None


def _read_document(source: Mapping[str, Any], title: str | None) -> DocumentPart | None:
    kind = source.get("type")
    if kind == "url":
        return DocumentPart(url=source["url"], name=title)
    if kind == "base64":
        data = decode_base64(source["data"])
        return DocumentPart(data=data, media_type=source.get("media_type"), name=title)
    if kind == "text":
        data = source["data"].encode("utf-8")
        return DocumentPart(data=data, media_type=source.get("media_type"), name=title)
    return None
