"""Gemini error bodies, as typed errors.

Google answers every failure with ``{"error": {"code", "message", "status",
"details"}}`` (a list holding that object on some streaming paths). The gRPC
``status`` name is more precise than the HTTP code and is read first; the HTTP code
decides only when the status is missing or unknown. Two cases the status does not
separate are told apart by their details or wording:

* a bad API key is ``INVALID_ARGUMENT`` (HTTP 400) with the ``ErrorInfo`` reason
  ``API_KEY_INVALID``: an :class:`~fluent_ai.types.AuthenticationError`;
* a prompt over the model's window is ``INVALID_ARGUMENT`` saying the input token count
  exceeds the maximum: a :class:`~fluent_ai.types.ContextLengthExceededError`.

For ``RESOURCE_EXHAUSTED`` the wait comes from the ``retry-after`` header or, failing
that, the ``RetryInfo`` detail's ``retryDelay`` (``"37s"``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fluent_ai.http import parse_retry_after
from fluent_ai.http.retry import retry_after_seconds
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

_STATUSES: dict[str, type[ProviderError]] = {
    "INVALID_ARGUMENT": InvalidRequestError,
    "FAILED_PRECONDITION": InvalidRequestError,  # e.g. a region or billing plan without access
    "OUT_OF_RANGE": InvalidRequestError,
    "UNAUTHENTICATED": AuthenticationError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "NOT_FOUND": NotFoundError,
    "RESOURCE_EXHAUSTED": RateLimitError,
    "DEADLINE_EXCEEDED": TimeoutError,
    "UNAVAILABLE": ProviderUnavailableError,
    "INTERNAL": ProviderUnavailableError,
    "UNKNOWN": ProviderUnavailableError,
}

_TOO_LONG = re.compile(r"input token count.*exceeds|exceeds the maximum number of tokens", re.I)
_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")


def decode_error(
    status: int, headers: Mapping[str, str], body: bytes, *, provider: str
) -> ProviderError:
    """The typed error for a failed response."""
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:  # an HTML page or plain text from a proxy: quoted as the message
        payload = None
    if isinstance(payload, list) and payload:
        payload = payload[0]
    detail = payload.get("error") if isinstance(payload, dict) else None
    retry_after = parse_retry_after({k.lower(): v for k, v in headers.items()})
    if not isinstance(detail, Mapping):
        message = text.strip()[:500] or f"HTTP {status} with an empty body"
        return error_for_status(
            status, message, provider=provider, body=text, retry_after=retry_after
        )
    return error_from(
        detail, status=status, provider=provider, body=payload, retry_after=retry_after
    )


def error_from(
    detail: Mapping[str, Any],
    *,
    status: int | None,
    provider: str,
    body: Any = None,
    retry_after: float | None = None,
) -> ProviderError:
    """The typed error for an ``error`` object, from a body or from inside a stream.

    Inside a stream the HTTP status was 200; the object's own ``code`` stands in for it.
    """
    name = str(detail.get("status") or "")
    text = str(detail.get("message") or "no message")
    message = f"{name}: {text}" if name else text
    code = detail.get("code")
    if status is None and isinstance(code, int) and not isinstance(code, bool):
        status = code
    cls = _STATUSES.get(name)
    if "API_KEY_INVALID" in _reasons(detail):
        cls = AuthenticationError
    elif cls is InvalidRequestError and _TOO_LONG.search(text):
        cls = ContextLengthExceededError
    kwargs: dict[str, Any] = {"provider": provider, "code": name or None, "body": body}
    if cls is RateLimitError or (cls is None and status == 429):
        wait = retry_after if retry_after is not None else _retry_delay(detail)
        return RateLimitError(message, retry_after=wait, status=status, **kwargs)
    if cls is not None:
        return cls(message, status=status, **kwargs)
    if status is None:
        return ProviderError(message, **kwargs)
    return error_for_status(status, message, **kwargs)


def _details(detail: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    details = detail.get("details")
    return [d for d in details if isinstance(d, Mapping)] if isinstance(details, list) else []


def _reasons(detail: Mapping[str, Any]) -> set[str]:
    return {str(d.get("reason")) for d in _details(detail) if d.get("reason")}


def _retry_delay(detail: Mapping[str, Any]) -> float | None:
    for item in _details(detail):
        match = _DELAY.match(str(item.get("retryDelay") or ""))
        if match:
            return retry_after_seconds(float(match[1]))
    return None
