"""Error bodies to typed errors, for HTTP error responses and errors inside a stream.

OpenAI's shape is ``{"error": {"message", "type", "code", "param"}}``. Compatible
vendors vary it: OpenRouter puts the HTTP status in ``code``, Groq adds ``status_code``
to errors sent inside a stream, Gemini wraps the object in a list, some servers answer
``{"detail": "..."}`` or plain text. The status picks the error class
(:func:`~fluent_ai.types.errors.error_for_status`); the code and message then refine it
where they say more: a context overflow, a content-policy refusal, or a quota that
retrying will not restore.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fluent_ai.http import parse_retry_after
from fluent_ai.types import (
    ContentFilteredError,
    ContextLengthExceededError,
    ProviderError,
    RateLimitError,
)
from fluent_ai.types.errors import error_for_status

_CONTEXT_CODES = frozenset({"context_length_exceeded", "request_too_large"})
_CONTEXT_TEXT = re.compile(
    r"context[ _-]?(length|window)|maximum context|prompt is too long"
    r"|reduce the length of the (messages|prompt)",
    re.IGNORECASE,
)
_FILTER_CODES = frozenset({"content_filter", "content_policy_violation"})
_FILTER_TEXT = re.compile(
    r"flagged as potentially violating|content (management )?policy|content filter",
    re.IGNORECASE,
)
_NO_QUOTA_CODES = frozenset({"insufficient_quota"})


def decode_error(
    status: int, headers: Mapping[str, str], body: bytes, *, provider: str
) -> ProviderError:
    """The typed error for an HTTP error response."""
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:  # an HTML page or plain text: quoted as the message below
        payload = None
    detail = _detail(payload)
    message = _message(detail) or text.strip()[:500] or f"HTTP {status} with an empty body"
    return _classify(
        status,
        message,
        detail,
        provider=provider,
        body=payload if payload is not None else text,
        retry_after=parse_retry_after(headers),
    )


def stream_error(chunk: Mapping[str, Any], *, provider: str) -> ProviderError:
    """The typed error for an ``error`` object sent inside a stream (or a 200 body).

    The HTTP status was 200 by then; the vendor's own status, where it gives one
    (Groq's ``status_code``, OpenRouter's numeric ``code``), decides the class.
    """
    detail = _detail(chunk)
    status = detail.get("status_code", detail.get("code"))
    message = _message(detail) or "the provider reported an error in the stream"
    if isinstance(status, int) and not isinstance(status, bool) and 400 <= status < 600:
        return _classify(status, message, detail, provider=provider, body=dict(chunk))
    error = _refined(None, message, detail, provider=provider, body=dict(chunk))
    return error or ProviderError(message, provider=provider, code=_code(detail), body=dict(chunk))


def _classify(
    status: int,
    message: str,
    detail: Mapping[str, Any],
    *,
    provider: str,
    body: Any,
    retry_after: float | None = None,
) -> ProviderError:
    refined = _refined(status, message, detail, provider=provider, body=body)
    if refined is not None:
        return refined
    return error_for_status(
        status,
        message,
        provider=provider,
        code=_code(detail),
        body=body,
        retry_after=retry_after,
    )


def _refined(
    status: int | None, message: str, detail: Mapping[str, Any], *, provider: str, body: Any
) -> ProviderError | None:
    """A more precise class than the status alone gives, when the body says so."""
    code = _code(detail)
    kwargs: dict[str, Any] = {"provider": provider, "status": status, "code": code, "body": body}
    request_error = status is None or status in (400, 413, 422)
    if code in _CONTEXT_CODES or (request_error and _CONTEXT_TEXT.search(message)):
        return ContextLengthExceededError(message, **kwargs)
    if code in _FILTER_CODES or (request_error and _FILTER_TEXT.search(message)):
        return ContentFilteredError(message, **kwargs)
    kind = detail.get("type")  # as sent: a server may put anything there
    if code in _NO_QUOTA_CODES or (isinstance(kind, str) and kind in _NO_QUOTA_CODES):
        return RateLimitError(message, retryable=False, **kwargs)
    return None


def _detail(payload: Any) -> Mapping[str, Any]:
    """The object that describes the error, whatever envelope the vendor used."""
    if isinstance(payload, list) and payload:
        payload = payload[0]
    if not isinstance(payload, Mapping):
        return {}
    error = payload.get("error")
    if isinstance(error, Mapping):
        return error
    if isinstance(error, str):
        return {"message": error}
    if isinstance(payload.get("detail"), str):
        return {"message": payload["detail"]}
    return payload


def _message(detail: Mapping[str, Any]) -> str:
    message = detail.get("message")
    return message if isinstance(message, str) else ""


def _code(detail: Mapping[str, Any]) -> str | None:
    code = detail.get("code")
    return None if code is None else str(code)
