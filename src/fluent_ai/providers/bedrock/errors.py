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


def decode_error(status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
    """The typed error for a failed response; ``retry-after`` is read for rate limits."""
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:
        payload = None
    detail: Mapping[str, Any] = payload if isinstance(payload, dict) else {}
    lowered = {name.lower(): value for name, value in headers.items()}
    kind = _error_type(lowered.get("x-amzn-errortype") or str(detail.get("__type") or ""))
    said = str(detail.get("message") or detail.get("Message") or "")
    said = said or text.strip()[:500] or f"HTTP {status} with an empty body"
    message = f"{kind}: {said}" if kind else said
    kwargs: dict[str, Any] = {
        "provider": "bedrock",
        "status": status,
        "code": kind or None,
        "body": payload if payload is not None else text,
    }
    cls = _TYPES.get(kind) or _class_for(kind, detail, status)
    if cls is InvalidRequestError and _TOO_LONG.search(said):
        cls = ContextLengthExceededError
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=parse_retry_after(lowered), **kwargs)
    return cls(message, **kwargs)


def _class_for(kind: str, detail: Mapping[str, Any], status: int) -> type[ProviderError]:
    """The class for an error type not in the table: the status decides, or, for a
    ``ModelErrorException``, the status the model behind Bedrock answered with."""
    if kind == "ModelErrorException":
        original = detail.get("originalStatusCode")
        if not isinstance(original, int) or original < 400:
            return ProviderError
        status = original
    return type(error_for_status(status, kind))


def _error_type(raw: str) -> str:
    """The bare type: ``ValidationException`` from ``ValidationException:http://…``
    (the header) or from ``com.amazon.coral#ValidationException`` (``__type``)."""
    return raw.split(":", 1)[0].rsplit("#", 1)[-1].strip()
