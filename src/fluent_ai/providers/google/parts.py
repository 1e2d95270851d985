"""Message parts to Gemini ``Part`` objects, and back.

Thought signatures. Gemini hands out opaque ``thoughtSignature`` strings on whichever
part it likes (a function call, the first text after its thoughts, an empty text part
at the end of a stream, a thought part) and wants each one back on the same part in the
next turn; Gemini 3 refuses a function call sent back without its signature. A
signature is read as a :class:`ThinkingPart` holding it, placed just *before* the parts
of the wire part that carried it, and written back the same way: a ThinkingPart's
thought text goes out as a ``thought`` part and its signature rides on the next wire
part, or on an empty text part when nothing follows. This is also how streamed
:class:`~fluent_ai.types.ThinkingDelta` events assemble (a signature closes the thinking
before it), so a collected answer sent back as it is puts every signature where Gemini
put it. Thinking that Anthropic redacted has no Gemini form and is not sent.

Function calls. Gemini's API names a call only by its function's name; newer models
(and Vertex) add an ``id``. A call that comes without one gets a stable id from
:class:`CallIds`, and a ``functionResponse`` without one answers the oldest open call
of the same name, which is how Gemini itself pairs them. Ids are sent back on both
sides, which the API accepts.

Media. Inline bytes become ``inlineData`` and URLs ``fileData``; images read back as
:class:`ImagePart` and every other media type (PDF, text, audio, video) as
:class:`DocumentPart`. OpenAI's image ``detail`` and a document's ``name`` have no
Gemini field and are not sent.
"""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fluent_ai.providers.google.wire import WirePart, get
from fluent_ai.providers.media import sniff_media_type
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


class CallIds:
    """Ids for function calls that came without one, and the calls responses answer.

    The n-th call of a content (or of a response) is ``{prefix}{n}`` unless it brought
    its own id, so reading the same content twice gives the same ids.
    """

    def __init__(self, prefix: str = "call-") -> None:
        self._prefix = prefix
        self._count = 0
        self._open: dict[str, list[str]] = {}

    def call(self, name: str, given: str | None = None) -> str:
        call_id = given or f"{self._prefix}{self._count}"
        self._count += 1
        self._open.setdefault(name, []).append(call_id)
        return call_id

    def response(self, name: str, given: str | None = None) -> str:
        """The call a response answers: its own id, else the oldest open call of ``name``.

        A response that answers no call at all gets an id of its own.
        """
        waiting = self._open.get(name, [])
        if given:
            if given in waiting:
                waiting.remove(given)
            return given
        if waiting:
            return waiting.pop(0)
        self._count += 1
        return f"{self._prefix}{self._count - 1}"


def encode_parts(parts: Sequence[Part], names: Mapping[str, str]) -> list[WirePart]:
    """The wire parts for a message; ``names`` maps call ids to function names."""
    wire: list[WirePart] = []
    pending: str | None = None
    for part in parts:
        if not isinstance(part, ThinkingPart):
            wire.append(_signed(encode_part(part, names), pending))
            pending = None
            continue
        if part.redacted is not None:  # Anthropic's encrypted thinking: nothing Gemini reads
            continue
        if part.text:
            wire.append(_signed({"text": part.text, "thought": True}, pending))
            pending = None
        if part.signature is not None:
            if pending is not None:  # two signatures in a row: the first had its own part
                wire.append(_signed({"text": ""}, pending))
            pending = part.signature
    if pending is not None:
        wire.append(_signed({"text": ""}, pending))
    return wire


def encode_part(part: Part, names: Mapping[str, str]) -> WirePart:
    """One non-thinking part as a wire part."""
    if isinstance(part, TextPart):
        return {"text": part.text}
    if isinstance(part, ToolCallPart):
        return {"functionCall": {"id": part.id, "name": part.name, "args": _args(part)}}
    if isinstance(part, ToolResultPart):
        name = part.name or names.get(part.tool_call_id)
        if name is None:
            raise UnsupportedFeatureError(
                f"Gemini matches a tool result to its call by the function's name: the result "
                f"for call {part.tool_call_id!r} has no name and answers no call in the "
                "conversation",
                provider="google",
            )
        response = {"error" if part.is_error else "output": part.content}
        return {"functionResponse": {"id": part.tool_call_id, "name": name, "response": response}}
    if isinstance(part, ImagePart | DocumentPart):
        return _media(part)
    raise TypeError(f"not a message part: {part!r}")


def read_parts(wire: Iterable[Mapping[str, Any]], calls: CallIds) -> list[Part]:
    """The neutral parts of a content's wire parts (signatures as described above)."""
    parts: list[Part] = []
    for item in wire:
        signature = get(item, "thoughtSignature")
        if signature:
            parts.append(ThinkingPart(signature=signature))
        part = read_part(item, calls)
        if part is not None:
            parts.append(part)
    return parts


def read_part(item: Mapping[str, Any], calls: CallIds) -> Part | None:
    """The neutral part one wire part stands for, or ``None`` when it has none."""
    text = get(item, "text")
    if get(item, "thought"):
        return ThinkingPart(text=text) if text else None
    if isinstance(text, str):
        return TextPart(text=text)
    if (call := get(item, "functionCall")) is not None:
        name = call["name"]
        arguments = json.dumps(call.get("args") or {}, ensure_ascii=False)
        return ToolCallPart(id=calls.call(name, call.get("id")), name=name, arguments=arguments)
    if (result := get(item, "functionResponse")) is not None:
        return _read_result(result, calls)
    if (blob := get(item, "inlineData")) is not None:
        media_type = get(blob, "mimeType")
        kind = ImagePart if _is_image(media_type) else DocumentPart
        return kind(data=_bytes(blob["data"]), media_type=media_type)
    if (file := get(item, "fileData")) is not None:
        media_type = get(file, "mimeType")
        kind = ImagePart if _is_image(media_type) else DocumentPart
        return kind(url=get(file, "fileUri"), media_type=media_type)
    return None


def _read_result(result: Mapping[str, Any], calls: CallIds) -> ToolResultPart:
    """A ``functionResponse``: ``{"output": …}`` or ``{"error": …}`` as Gemini documents
    them; any other response object is the tool's output as JSON."""
    name = result["name"]
    response = result.get("response") or {}
    key = next(iter(response)) if len(response) == 1 else None
    value = response[key] if key in ("output", "error") else response
    content = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    call_id = calls.response(name, result.get("id"))
    return ToolResultPart(tool_call_id=call_id, content=content, name=name, is_error=key == "error")


def _signed(wire: WirePart, signature: str | None) -> WirePart:
    return wire if signature is None else {**wire, "thoughtSignature": signature}


def _args(part: ToolCallPart) -> dict[str, Any]:
    try:
        value = json.loads(part.arguments or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise UnsupportedFeatureError(
            f"tool call {part.id!r} ({part.name}) has arguments that are not a JSON object, "
            "and Gemini accepts only objects as function call arguments",
            provider="google",
        )
    return value


def _media(part: ImagePart | DocumentPart) -> WirePart:
    if part.data is not None:
        media_type = part.media_type or sniff_media_type(part.data)
        return {"inlineData": {"mimeType": _required(media_type), "data": part.base64}}
    url = part.url or ""
    if url.startswith("data:"):
        header, _, payload = url[5:].partition(",")
        media_type, _, encoding = header.partition(";")
        if encoding != "base64":
            raise UnsupportedFeatureError("Gemini needs data: URLs in base64", provider="google")
        return {
            "inlineData": {"mimeType": _required(media_type or part.media_type), "data": payload}
        }
    file: dict[str, Any] = {"fileUri": url}
    media_type = part.media_type or mimetypes.guess_type(url)[0]
    if media_type is not None:
        file["mimeType"] = media_type
    return {"fileData": file}


def _required(media_type: str | None) -> str:
    if not media_type:
        raise UnsupportedFeatureError(
            "Gemini needs the media type of inline data: set media_type on the part",
            provider="google",
        )
    return media_type


def _is_image(media_type: object) -> bool:
    return isinstance(media_type, str) and media_type.startswith("image/")


def _bytes(text: str) -> bytes:
    """Base64 in either alphabet: Google's JSON parser takes both, and SDKs send both."""
    padded = text + "=" * (-len(text) % 4)
    try:
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 data: {exc}") from exc
