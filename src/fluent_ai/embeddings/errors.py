"""Error responses of the embedding vendors, as typed errors.

The status picks the error class (:func:`~fluent_ai.types.errors.error_for_status`);
the body supplies the vendor's own words. The supported vendors use four body shapes:

* ``{"error": {"message": …, "type"/"code"/"status": …}}``: OpenAI, Mistral, Gemini;
* ``{"error": "…"}``: Ollama;
* ``{"message": "…"}``: Cohere, and Mistral's gateway for a bad key;
* ``{"detail": "…"}`` or FastAPI's ``{"detail": [{"msg": …}]}``: Voyage, Jina.

Anything else is quoted as text, cut short. Keys are redacted by the error classes;
the caller also removes the exact key it sent, which no pattern could know.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fluent_ai.http import parse_retry_after
from fluent_ai.types.errors import ContextLengthExceededError, ProviderError, error_for_status

PREVIEW_CHARS = 300
"""How much of a body that is not JSON an error message quotes."""

_TOO_LONG_HINTS = ("context length", "context_length", "context window")


def http_error(
    provider: str, status: int, headers: Mapping[str, str], body: bytes
) -> ProviderError:
    """The typed error for one error response."""
    try:
        data: Any = json.loads(body) if body else None
    except ValueError:
        data = None
    message, code = _message_and_code(data)
    if message is None:
        text = body.decode("utf-8", errors="replace").strip()
        message = text[:PREVIEW_CHARS] if text else f"HTTP {status} with an empty body"
    retry_after = parse_retry_after(headers)
    if status == 400 and _says_too_long(message, code):
        return ContextLengthExceededError(
            message, provider=provider, status=status, code=code, body=data
        )
    return error_for_status(
        status, message, provider=provider, code=code, body=data, retry_after=retry_after
    )


def _message_and_code(data: Any) -> tuple[str | None, str | None]:
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    if isinstance(error, dict):
        code = error.get("code") or error.get("type") or error.get("status")
        return _text(error.get("message")), None if code is None else str(code)
    if isinstance(error, str):
        return error, None
    code = data.get("code") or data.get("type")
    if isinstance(data.get("message"), str):
        return data["message"], None if code is None else str(code)
    return _detail(data.get("detail")), None if code is None else str(code)


def _detail(detail: Any) -> str | None:
    """FastAPI's validation errors are a list of ``{"loc": […], "msg": …}``."""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict) and isinstance(item.get("msg"), str):
                location = ".".join(str(part) for part in item.get("loc", ()))
                parts.append(f"{location}: {item['msg']}" if location else item["msg"])
        return "; ".join(parts) or None
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _says_too_long(message: str, code: str | None) -> bool:
    lowered = f"{message} {code or ''}".lower()
    return any(hint in lowered for hint in _TOO_LONG_HINTS)
