"""The pieces of an Ollama message that need translating: images and tool-call arguments.

* Images are bare base64 strings in a message's ``images`` list: no media type, no
  URLs. An :class:`~fluent_ai.types.ImagePart` with bytes (or a base64 ``data:`` URL)
  is sent as its base64; one that points at a web URL is refused, since Ollama never
  fetches anything. Read back, the media type is recognised from the bytes (PNG, JPEG,
  GIF, WebP) so the part can be sent on to a provider that wants one.
* Tool-call arguments are a JSON object on the wire and JSON text in a
  :class:`~fluent_ai.types.ToolCallPart`.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from fluent_ai.providers.media import sniff_media_type
from fluent_ai.types import ImagePart, ToolCallPart, UnsupportedFeatureError

PROVIDER = "ollama-native"


def encode_image(part: ImagePart) -> str:
    """The image as the base64 text Ollama reads."""
    if part.data is not None:
        return part.base64
    url = part.url or ""
    header, _, payload = url.partition(",")
    if header.startswith("data:") and header.endswith(";base64"):
        return payload
    raise UnsupportedFeatureError(
        f"Ollama takes images inline only, not by URL ({url[:80]}): fetch the image and "
        "pass ImagePart(data=..., media_type=...)",
        provider=PROVIDER,
    )


def read_image(value: str) -> ImagePart:
    try:
        data = base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"an image that is not base64: {exc}") from exc
    return ImagePart(data=data, media_type=media_type(data))


def media_type(data: bytes) -> str | None:
    """The image type its first bytes announce, or ``None`` when they announce none known."""
    kind = sniff_media_type(data)
    return kind if kind is not None and kind.startswith("image/") else None


def arguments_object(call: ToolCallPart) -> dict[str, Any]:
    """A call's JSON-text arguments as the object Ollama expects."""
    try:
        value = json.loads(call.arguments or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise UnsupportedFeatureError(
            f"tool call {call.id!r} ({call.name}) has arguments that are not a JSON object, "
            "and Ollama accepts only objects as tool-call arguments",
            provider=PROVIDER,
        )
    return value


def arguments_text(value: Any) -> str:
    """Wire arguments (an object) as the JSON text a :class:`ToolCallPart` holds."""
    return json.dumps({} if value is None else value, ensure_ascii=False)
