"""Message parts to Converse content blocks, and back.

A Converse content block is an object with one key that names its kind:
``{"text": …}``, ``{"image": {…}}``, ``{"toolUse": {…}}``, ``{"reasoningContent": {…}}``.
:func:`encode_part` and :func:`read_block` are inverses wherever a block has a neutral
part, and :func:`is_neutral` is exactly that test. Blocks that fail it (``cachePoint``,
``guardContent``, video, a server tool's call and its result, a tool result holding a
document) get their closest neutral reading, or none, and their exact spelling travels
beside the message (see :mod:`fluent_ai.providers.bedrock.history`).

Media go as bytes or from S3 (``s3://`` URLs): Bedrock fetches nothing from the web.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable, Mapping
from typing import Any

from fluent_ai.providers.bedrock.names import DocumentNames
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

SERVER_TOOL_USE = "server_tool_use"
"""The ``type`` of a ``toolUse`` that Bedrock ran itself (Nova's code interpreter)."""

IMAGE_FORMATS = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp"}
DOCUMENT_FORMATS = {
    "application/pdf": "pdf",
    "text/csv": "csv",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/plain": "txt",
    "text/markdown": "md",
}
_IMAGE_TYPES = {fmt: media for media, fmt in IMAGE_FORMATS.items()}
_DOCUMENT_TYPES = {fmt: media for media, fmt in DOCUMENT_FORMATS.items()}


def encode_content(parts: Iterable[Part], names: DocumentNames | None = None) -> list[Block]:
    """The content blocks for a message's parts (unsigned reasoning is left out).

    ``names`` hands out document names; pass the same one for every message of a request,
    since Bedrock rejects two documents with one name anywhere in the conversation.
    """
    names = names or DocumentNames()
    return [block for part in parts if (block := encode_part(part, names)) is not None]


def encode_part(part: Part, names: DocumentNames) -> Block | None:
    """One part as a content block; ``None`` for reasoning Bedrock would not take back.

    Claude on Bedrock accepts only reasoning it signed itself, and the other models
    ignore reasoning sent back, so a :class:`ThinkingPart` with neither a signature nor
    redacted data (reasoning from another model) is not sent.
    """
    if isinstance(part, TextPart):
        return {"text": part.text}
    if isinstance(part, ToolCallPart):
        return {"toolUse": {"toolUseId": part.id, "name": part.name, "input": _input(part)}}
    if isinstance(part, ToolResultPart):
        return {
            "toolResult": {
                "toolUseId": part.tool_call_id,
                "content": [{"text": part.content}],
                "status": "error" if part.is_error else "success",
            }
        }
    if isinstance(part, ThinkingPart):
        if part.redacted is not None:
            return {"reasoningContent": {"redactedContent": part.redacted}}
        if part.signature is None:
            return None
        text = {"text": part.text, "signature": part.signature}
        return {"reasoningContent": {"reasoningText": text}}
    if isinstance(part, ImagePart):
        # ``detail`` is OpenAI's resolution hint; Bedrock has no counterpart.
        source, media_type = _source(part)
        return {"image": {"format": _format(media_type, IMAGE_FORMATS, "image"), "source": source}}
    source, media_type = _source(part)
    fmt = _format(media_type, DOCUMENT_FORMATS, "document")
    return {"document": {"format": fmt, "name": names.claim(part.name), "source": source}}


def read_content(blocks: Iterable[Mapping[str, Any]]) -> list[Part]:
    """The neutral reading of a message's content blocks."""
    return [part for block in blocks if (part := read_block(block)) is not None]


def read_block(block: Mapping[str, Any]) -> Part | None:
    """The neutral part a block stands for, or ``None`` when it has none."""
    if "text" in block:
        return TextPart(text=block["text"])
    if "toolUse" in block:
        use = block["toolUse"]
        if use.get("type") == SERVER_TOOL_USE:
            return None
        arguments = json.dumps(use.get("input", {}), ensure_ascii=False)
        return ToolCallPart(id=use["toolUseId"], name=use["name"], arguments=arguments)
    if "toolResult" in block:
        result = block["toolResult"]
        if "type" in result:  # a server tool's result, e.g. "nova_code_interpreter_result"
            return None
        return ToolResultPart(
            tool_call_id=result["toolUseId"],
            content=_result_text(result.get("content") or []),
            is_error=result.get("status") == "error",
        )
    if "reasoningContent" in block:
        reasoning = block["reasoningContent"]
        if "redactedContent" in reasoning:
            return ThinkingPart(redacted=reasoning["redactedContent"])
        text = reasoning.get("reasoningText") or {}
        return ThinkingPart(text=text.get("text", ""), signature=text.get("signature"))
    if "image" in block:
        image = block["image"]
        where = _location(image["source"])
        media_type = _IMAGE_TYPES.get(image.get("format", ""))
        return None if where is None else ImagePart(**where, media_type=media_type)
    if "document" in block:
        document = block["document"]
        where = _location(document["source"])
        media_type = _DOCUMENT_TYPES.get(document.get("format", ""))
        name = document.get("name")
        return None if where is None else DocumentPart(**where, media_type=media_type, name=name)
    return None


def is_neutral(block: Mapping[str, Any]) -> bool:
    """Whether the block's neutral part spells it back exactly (a malformed block does not)."""
    try:
        part = read_block(block)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if part is None:
        return False
    try:
        return encode_part(part, DocumentNames()) == block
    except UnsupportedFeatureError:
        return False


def _input(part: ToolCallPart) -> Any:
    try:
        return json.loads(part.arguments or "{}")
    except ValueError:
        raise UnsupportedFeatureError(
            f"tool call {part.id!r} ({part.name}) has arguments that are not JSON, "
            "and Bedrock takes tool input only as a JSON value",
            provider="bedrock",
        ) from None


def _result_text(content: list[Mapping[str, Any]]) -> str:
    """A tool result's text blocks, and its JSON blocks written as JSON."""
    pieces = []
    for block in content:
        if "text" in block:
            pieces.append(block["text"])
        elif "json" in block:
            pieces.append(json.dumps(block["json"], ensure_ascii=False))
    return "\n".join(pieces)


def _source(part: ImagePart | DocumentPart) -> tuple[Block, str | None]:
    """The ``source`` of a media block, and the media type it holds when known."""
    if part.data is not None:
        return {"bytes": part.base64}, part.media_type or sniff_media_type(part.data)
    url = part.url or ""
    if url.startswith("s3://"):
        return {"s3Location": {"uri": url}}, part.media_type or mimetypes.guess_type(url)[0]
    if url.startswith("data:"):
        header, _, payload = url[5:].partition(",")
        media_type, _, encoding = header.partition(";")
        if encoding == "base64":
            return {"bytes": payload}, media_type or part.media_type
    raise UnsupportedFeatureError(
        f"Bedrock takes a {part.type} as bytes, a base64 data: URL or an s3:// URL, "
        f"not {url[:60]!r}: download it and pass the bytes",
        provider="bedrock",
    )


def _format(media_type: str | None, formats: Mapping[str, str], kind: str) -> str:
    """The ``format`` field for a media type (``text/plain; charset=utf-8`` reads as ``txt``)."""
    bare = (media_type or "").partition(";")[0].strip().lower()
    fmt = formats.get("image/jpeg" if bare == "image/jpg" else bare)
    if fmt is None:
        raise UnsupportedFeatureError(
            f"Bedrock does not take a {kind} of type {media_type or 'unknown'}; it takes "
            + ", ".join(sorted(formats)),
            provider="bedrock",
        )
    return fmt


def _location(source: Mapping[str, Any]) -> dict[str, Any] | None:
    """A media source as the ``url=`` or ``data=`` of a part; ``None`` for unknown kinds."""
    if "bytes" in source:
        return {"data": decode_base64(source["bytes"])}
    if "s3Location" in source:
        return {"url": source["s3Location"]["uri"]}
    if "text" in source:  # a document given as text; sent back as bytes, so not neutral
        return {"data": source["text"].encode("utf-8")}
    return None
