"""Cohere error bodies, as typed errors.

Cohere answers a failure with ``{"message": "..."}`` (sometimes with an ``id``) and says
what went wrong through the status, including two of its own: 498 (the token is not a
valid key) and 499 (the request was cancelled before an answer). The status picks the
class (:func:`~fluent_ai.types.errors.error_for_status` for the common ones); a prompt
that does not fit the model (``too many tokens: …``) is told apart by its wording.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fluent_ai.http import parse_retry_after
from fluent_ai.types import (
    AuthenticationError,
    ConnectionError,
    ContextLengthExceededError,
    ProviderError,
)
from fluent_ai.types.errors import error_for_status

PROVIDER = "cohere"

_STATUSES: dict[int, type[ProviderError]] = {
    498: AuthenticationError,  # "invalid token": the key is wrong or revoked
    499: ConnectionError,  # the request was cancelled before an answer arrived
}

_TOO_LONG = re.compile(
    r"too many tokens|context (length|window)|prompt is too long|exceeds the maximum",
    re.IGNORECASE,
)


def decode_error(status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:  # an HTML page or plain text: quoted as the message below
        payload = None
    message = payload.get("message") if isinstance(payload, Mapping) else None
    if not isinstance(message, str) or not message:
        message = text.strip()[:500] or f"HTTP {status} with an empty body"
    kept = payload if payload is not None else text
    if status in (400, 413, 422) and _TOO_LONG.search(message):
        return ContextLengthExceededError(message, provider=PROVIDER, status=status, body=kept)
    if status in _STATUSES:
        return _STATUSES[status](message, provider=PROVIDER, status=status, body=kept)
    retry_after = parse_retry_after({name.lower(): value for name, value in headers.items()})
    return error_for_status(status, message, provider=PROVIDER, body=kept, retry_after=retry_after)
