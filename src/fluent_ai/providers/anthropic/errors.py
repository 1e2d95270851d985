"""Anthropic error bodies, as typed errors.

Anthropic answers every failure with ``{"type": "error", "error": {"type": …,
"message": …}, "request_id": …}``, and the error ``type`` is more precise than the
status: it is read first, the status decides only when the type is unknown. The same
body can arrive inside a stream as an ``error`` event (typically ``overloaded_error``)
after the 200 status was sent; such an error has no status of its own.

``invalid_request_error`` whose message says the prompt is too long is the one case
the type does not separate, so it is told apart by its wording.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fluent_ai.http import parse_retry_after
from fluent_ai.types import (
    AuthenticationError,
    ContextLengthExceededError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    TimeoutError,
)
from fluent_ai.types.errors import error_for_status

_TYPES: dict[str, type[ProviderError]] = {
    "invalid_request_error": InvalidRequestError,
    # The request is over Anthropic's size limit in bytes, not the model's in tokens.
    "request_too_large": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionDeniedError,
    # The account cannot pay: retrying will not help until someone acts.
    "billing_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "rate_limit_error": RateLimitError,
    "timeout_error": TimeoutError,
    "api_error": ProviderUnavailableError,
    "overloaded_error": ProviderUnavailableError,
}

_TOO_LONG = re.compile(r"prompt is too long|exceeds? (?:the )?context (?:limit|window)", re.I)


def decode_error(status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
    """The typed error for a failed response; ``retry-after`` is read for rate limits."""
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:
        payload = None
    detail = payload.get("error") if isinstance(payload, dict) else None
    retry_after = parse_retry_after({k.lower(): v for k, v in headers.items()})
    if not isinstance(detail, Mapping):
        message = text.strip()[:500] or f"HTTP {status} with an empty body"
        return error_for_status(
            status, message, provider="anthropic", body=text, retry_after=retry_after
        )
    return error_from(detail, status=status, body=payload, retry_after=retry_after)


def error_from(
    detail: object,
    *,
    status: int | None,
    body: Any = None,
    retry_after: float | None = None,
) -> ProviderError:
    """The typed error for the ``error`` object of a body or a stream event."""
    if not isinstance(detail, Mapping):
        detail = {}
    kind = str(detail.get("type") or "")
    text = str(detail.get("message") or "no message")
    message = f"{kind}: {text}" if kind else text
    code = kind or None
    cls = _TYPES.get(kind)
    if cls is None:
        if status is None:
            return ProviderError(message, provider="anthropic", code=code, body=body)
        return error_for_status(
            status, message, provider="anthropic", code=code, body=body, retry_after=retry_after
        )
    if cls is InvalidRequestError and _TOO_LONG.search(text):
        cls = ContextLengthExceededError
    kwargs: dict[str, Any] = {"provider": "anthropic", "status": status, "code": code, "body": body}
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)
