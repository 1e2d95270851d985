"""What the gateway answers when a call fails: the HTTP status, a kind, and headers.

The status says whose fault it is, as the caller must act on it. The caller's own
mistakes (a malformed body, a prompt too long, a model it may not use) are 4xx; an
upstream that is rate limited stays a 429 with its ``retry-after``, so clients back off
as they would against the vendor; everything else the upstream did wrong is a 5xx.
An upstream that refused the *gateway's* key (401/403) is a 502, never a 401: the
caller's credentials were fine, and a 401 would send them looking for the wrong bug.

Each wire format writes the :class:`Failure` in its own words
(:mod:`fluent_ai.server.wires`); the message is the typed error's, which never holds a
key (:mod:`fluent_ai.types.redaction`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from fluent_ai.types import (
    AuthenticationError,
    BadResponseError,
    ConfigurationError,
    ConnectionError,
    ContentFilteredError,
    FluentAIError,
    InvalidRequestError,
    MissingAPIKeyError,
    NotFoundError,
    PermissionDeniedError,
    ProviderUnavailableError,
    RateLimitError,
    StreamInterruptedError,
    TimeoutError,
)

Kind = Literal[
    "invalid_request",
    "authentication",
    "permission",
    "budget",
    "not_found",
    "rate_limit",
    "content_filter",
    "overloaded",
    "timeout",
    "upstream",
    "internal",
]
"""What went wrong, in the gateway's words; each wire has its own name for each."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A failed call as the gateway answers it."""

    status: int
    kind: Kind
    message: str
    headers: dict[str, str] = field(default_factory=dict)


def invalid_request(message: str) -> Failure:
    """The caller's request cannot be served as sent."""
    return Failure(400, "invalid_request", message)


def failure_for(error: BaseException) -> Failure:
    """The answer for an error a model raised while serving a call."""
    if not isinstance(error, FluentAIError):
        # A bug, not a verdict on the request: say so without details, which may hold
        # anything (the server logs the traceback).
        return Failure(500, "internal", "the gateway failed while serving this request")
    message = str(error)
    match error:
        case RateLimitError():
            return Failure(429, "rate_limit", message, _retry_after(error.retry_after))
        case ContentFilteredError():
            return Failure(400, "content_filter", message)
        case InvalidRequestError():
            return Failure(400, "invalid_request", message)
        case NotFoundError():
            return Failure(404, "not_found", message)
        case AuthenticationError() | PermissionDeniedError():
            return Failure(502, "upstream", f"the upstream refused the gateway's key: {message}")
        case TimeoutError():
            return Failure(504, "timeout", message)
        case ProviderUnavailableError():
            # A router with no deployment to take the call says when one will again.
            wait = getattr(error, "retry_after", None)
            return Failure(503, "overloaded", message, _retry_after(wait))
        case ConnectionError() | BadResponseError() | StreamInterruptedError():
            return Failure(502, "upstream", message)
        case MissingAPIKeyError():
            return Failure(500, "internal", f"the gateway is misconfigured: {message}")
        case ConfigurationError():
            # Raised by a call, it is the request asking for what the model cannot do
            # (a setting the local model does not take, a feature it lacks).
            return Failure(400, "invalid_request", message)
    return Failure(502, "upstream", message)


def _retry_after(seconds: float | None) -> dict[str, str]:
    if seconds is None or seconds < 0:
        return {}
    return {"retry-after": str(max(1, math.ceil(seconds)))}
