"""AWS event streams written byte for byte as Bedrock writes them, for tests.

The recordings hold Bedrock's whole ``converse`` answers only (the ``converse-stream``
bodies are binary, see ``../shared/recordings/README.md``). :func:`converse_stream`
turns a whole answer into the events ``converse-stream`` sends for it, with the shapes
of the Bedrock Runtime service model (``ConverseStreamOutput``), and
:func:`frame_events` frames them as AWS does: headers ``:event-type``,
``:content-type: application/json`` and ``:message-type: event`` in that order, the
payload as compact JSON ending in the ``p`` padding field, CRC32 in the prelude and at
the end. :func:`encode_message` writes any message, every header value type included.
"""

from __future__ import annotations

import json
import re
import struct
import uuid
import zlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
"""Bedrock pads each payload with a prefix of this, of varying length."""

_WORDS = re.compile(r"\S+\s*|\s+")
_INTEGER_FORMATS = {2: ">b", 3: ">h", 4: ">i", 5: ">q"}

Header = tuple[str, Any] | tuple[str, Any, int]
"""``(name, value)``, the type read from the value, or ``(name, value, type code)``."""


def encode_header(name: str, value: Any, kind: int | None = None) -> bytes:
    """One header; an ``int`` is an integer (type 4) unless ``kind`` says otherwise."""
    raw_name = name.encode()
    out = struct.pack(">B", len(raw_name)) + raw_name
    if isinstance(value, bool):
        return out + struct.pack(">B", 0 if value else 1)
    if isinstance(value, datetime):
        millis = round((value - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1000)
        return out + struct.pack(">Bq", 8, millis)
    if isinstance(value, uuid.UUID):
        return out + struct.pack(">B", 9) + value.bytes
    if isinstance(value, int):
        kind = kind or 4
        return out + struct.pack(">B", kind) + struct.pack(_INTEGER_FORMATS[kind], value)
    raw = value if isinstance(value, bytes) else str(value).encode()
    return out + struct.pack(">BH", 6 if isinstance(value, bytes) else 7, len(raw)) + raw


def encode_message(headers: Iterable[Header], payload: bytes) -> bytes:
    """One framed message: prelude, its CRC32, headers, payload, the message's CRC32."""
    head = b"".join(encode_header(*header) for header in headers)
    total = 12 + len(head) + len(payload) + 4
    prelude = struct.pack(">II", total, len(head))
    body = prelude + struct.pack(">I", zlib.crc32(prelude)) + head + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event_message(event_type: str, payload: Mapping[str, Any], padding: int = 0) -> bytes:
    """An event as Bedrock frames it, its payload padded with ``padding`` characters."""
    padded = {**payload, "p": PADDING[: padding % len(PADDING) + 1]}
    text = json.dumps(padded, separators=(",", ":"), ensure_ascii=False).encode()
    headers: list[Header] = [
        (":event-type", event_type),
        (":content-type", "application/json"),
        (":message-type", "event"),
    ]
    return encode_message(headers, text)


def exception_message(exception_type: str, payload: Mapping[str, Any]) -> bytes:
    """An exception inside a stream, as Bedrock frames one (``throttlingException``, …)."""
    headers: list[Header] = [
        (":exception-type", exception_type),
        (":content-type", "application/json"),
        (":message-type", "exception"),
    ]
    return encode_message(headers, json.dumps(payload, separators=(",", ":")).encode())


def frame_events(events: Iterable[tuple[str, Mapping[str, Any]]]) -> bytes:
    """A whole ``converse-stream`` body for ``events``."""
    return b"".join(
        event_message(name, payload, padding=7 * i) for i, (name, payload) in enumerate(events)
    )


def pieces(text: str) -> list[str]:
    """``text`` cut into word-sized pieces, as a model streams tokens."""
    return _WORDS.findall(text) or [text]


def converse_stream(answer: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The events ``converse-stream`` sends for the whole ``converse`` answer ``answer``."""
    message = (answer.get("output") or {}).get("message") or {}
    events: list[tuple[str, dict[str, Any]]] = [
        ("messageStart", {"role": message.get("role", "assistant")})
    ]
    for index, block in enumerate(message.get("content") or []):
        events.extend(_block_events(index, block))
        events.append(("contentBlockStop", {"contentBlockIndex": index}))
    stop: dict[str, Any] = {"stopReason": answer["stopReason"]}
    if "additionalModelResponseFields" in answer:
        stop["additionalModelResponseFields"] = answer["additionalModelResponseFields"]
    events.append(("messageStop", stop))
    taken = {"output", "stopReason", "additionalModelResponseFields"}
    events.append(("metadata", {k: v for k, v in answer.items() if k not in taken}))
    return events


def _block_events(index: int, block: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    def delta(value: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return "contentBlockDelta", {"contentBlockIndex": index, "delta": value}

    def start(value: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return "contentBlockStart", {"contentBlockIndex": index, "start": value}

    if "text" in block:
        return [delta({"text": piece}) for piece in pieces(block["text"])]
    if "reasoningContent" in block:
        reasoning = block["reasoningContent"]
        if "redactedContent" in reasoning:
            return [delta({"reasoningContent": {"redactedContent": reasoning["redactedContent"]}})]
        text = reasoning.get("reasoningText") or {}
        out = [delta({"reasoningContent": {"text": p}}) for p in pieces(text.get("text", ""))]
        if "signature" in text:
            out.append(delta({"reasoningContent": {"signature": text["signature"]}}))
        return out
    if "toolUse" in block:
        use = block["toolUse"]
        opening = {k: v for k, v in use.items() if k != "input"}
        # As the whole answer's reader writes them, so both collect to the same call.
        arguments = json.dumps(use.get("input", {}), ensure_ascii=False)
        size = 8
        chunks = [arguments[i : i + size] for i in range(0, len(arguments), size)]
        return [start({"toolUse": opening}), *(delta({"toolUse": {"input": c}}) for c in chunks)]
    if "toolResult" in block:
        result = block["toolResult"]
        opening = {k: v for k, v in result.items() if k != "content"}
        return [start({"toolResult": opening}), delta({"toolResult": result.get("content", [])})]
    raise ValueError(f"no stream events known for the block {sorted(block)}")
