"""Bedrock error responses, as typed errors.

Bedrock answers a failure with ``{"message": …}`` and names the error in the
``x-amzn-errortype`` header (``ValidationException``, sometimes followed by
``:`` and a namespace URL); some AWS front ends put it in the body's ``__type``
instead. The type is more precise than the status and is read first; the status
decides when there is none.

``ValidationException`` covers every malformed request, so a prompt that does not fit
the model is told apart by its wording ("Input is too long for requested model", "prompt
is too long: … tokens > … maximum"). ``ModelErrorException`` wraps a failure of the
model behind Bedrock, whose own status (``originalStatusCode``) then picks the class.
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
    "ValidationException": InvalidRequestError,
    "ConflictException": InvalidRequestError,
    "ThrottlingException": RateLimitError,
    # Over the account's quota; AWS says to send the request again later.
    "ServiceQuotaExceededException": RateLimitError,
    "AccessDeniedException": PermissionDeniedError,
    "UnrecognizedClientException": AuthenticationError,
    "InvalidSignatureException": AuthenticationError,
    "IncompleteSignature": AuthenticationError,
    "MissingAuthenticationTokenException": AuthenticationError,
    "ExpiredTokenException": AuthenticationError,
    "ResourceNotFoundException": NotFoundError,
    # The model is still being loaded: the AWS SDKs retry this one themselves.
    "ModelNotReadyException": ProviderUnavailableError,
    "ServiceUnavailableException": ProviderUnavailableError,
    "InternalServerException": ProviderUnavailableError,
    "ModelTimeoutException": TimeoutError,
}

_TOO_LONG = re.compile(
    r"too long|too many (?:input )?tokens|context (?:length|window|limit)", re.IGNORECASE
)


STREAM_EXCEPTIONS = frozenset(
    {
        "internalServerException",
        "modelStreamErrorException",
        "validationException",
        "throttlingException",
        "serviceUnavailableException",
    }
)
"""The exceptions ``converse-stream`` may send inside a stream (its event union's
error members); every AWS exception name ends in ``Exception``."""


def decode_error(status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
    """The typed error for a failed response; ``retry-after`` is read for rate limits."""
    text = body.decode("utf-8", errors="replace")
    payload = _parse(text)
    detail: Mapping[str, Any] = payload if isinstance(payload, dict) else {}
    lowered = {name.lower(): value for name, value in headers.items()}
    kind = _error_type(lowered.get("x-amzn-errortype") or str(detail.get("__type") or ""))
    body_kept = payload if payload is not None else text
    retry_after = parse_retry_after(lowered)
    return _error(kind, detail, text, body_kept, status=status, retry_after=retry_after)


def decode_stream_exception(exception_type: str, text: str) -> ProviderError:
    """The typed error for an exception message inside a stream (``throttlingException``
    and the others of :data:`STREAM_EXCEPTIONS`).

    The stream's response was a 200, so the error has no status; its class comes from
    the type as for an error response, and a ``modelStreamErrorException`` takes the
    class of the status the model behind Bedrock answered with, when it says.
    """
    payload = _parse(text)
    detail: Mapping[str, Any] = payload if isinstance(payload, dict) else {}
    kind = exception_type[:1].upper() + exception_type[1:]
    body_kept = payload if payload is not None else text
    return _error(kind, detail, text, body_kept, status=None, retry_after=None)


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _error(
    kind: str,
    detail: Mapping[str, Any],
    text: str,
    body: Any,
    *,
    status: int | None,
    retry_after: float | None,
) -> ProviderError:
    said = str(detail.get("message") or detail.get("Message") or "") or text.strip()[:500]
    if not said:
        said = f"HTTP {status} with an empty body" if status is not None else "no message"
    message = f"{kind}: {said}" if kind else said
    kwargs: dict[str, Any] = {
        "provider": "bedrock",
        "status": status,
        "code": kind or None,
        "body": body,
    }
    cls = _TYPES.get(kind) or _class_for(kind, detail, status)
    if cls is InvalidRequestError and _TOO_LONG.search(said):
        cls = ContextLengthExceededError
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)


def _class_for(kind: str, detail: Mapping[str, Any], status: int | None) -> type[ProviderError]:
    """The class for an error type not in the table: the status decides, or, for a
    ``ModelErrorException`` (``ModelStreamErrorException`` mid-stream), the status the
    model behind Bedrock answered with. An unknown exception mid-stream has no status:
    it stays a plain :class:`ProviderError`."""
    if kind in ("ModelErrorException", "ModelStreamErrorException"):
        original = detail.get("originalStatusCode")
        if isinstance(original, int) and original >= 400:
            return type(error_for_status(original, kind))
        # AWS's advice for a stream that failed this way is to send the request again.
        return ProviderUnavailableError if status is None else ProviderError
    if status is None:
        return ProviderError
    return type(error_for_status(status, kind))


def _error_type(raw: str) -> str:
    """The bare type: ``ValidationException`` from ``ValidationException:http://…``
    (the header) or from ``com.amazon.coral#ValidationException`` (``__type``)."""
    return raw.split(":", 1)[0].rsplit("#", 1)[-1].strip()
