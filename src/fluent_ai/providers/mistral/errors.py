"""Mistral error bodies, as typed errors.

Mistral answers in several shapes, all recorded in the wild:

* ``{"object": "error", "message": "...", "type": "invalid_request_message_order",
  "param": null, "code": "3230"}`` for most failures; ``message`` may itself be an object
  holding a validation ``detail`` list, and ``raw_status_code`` may be present;
* ``{"detail": [{"loc": ["body", "stream_options"], "msg": "Extra inputs are not
  permitted", ...}]}`` for a body that fails validation (HTTP 422);
* ``{"detail": "Unauthorized"}`` or ``{"message": "Unauthorized", "request_id": …}``
  from the gateway in front of the API (HTTP 401), and plain text from proxies.

The HTTP status picks the class (:func:`~fluent_ai.types.errors.error_for_status`); a
prompt that does not fit the model (``Prompt contains … tokens … too large for model
with … maximum context length``) is told apart by its wording. ``code`` is Mistral's
error ``type`` where it gives one, else its numeric ``code``. The same error object can
arrive inside a stream after the 200 status; it then carries no status of its own
unless ``raw_status_code`` says it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fluent_ai.http import parse_retry_after
from fluent_ai.types import ContextLengthExceededError, ProviderError
from fluent_ai.types.errors import error_for_status

PROVIDER = "mistral"

_TOO_LONG = re.compile(r"too large for model|context length|context window", re.IGNORECASE)


def decode_error(status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:  # an HTML page or plain text: quoted as the message below
        payload = None
    message, code = describe(payload)
    message = message or text.strip()[:500] or f"HTTP {status} with an empty body"
    retry_after = parse_retry_after({name.lower(): value for name, value in headers.items()})
    body_kept = payload if payload is not None else text
    return _classify(status, message, code, body=body_kept, retry_after=retry_after)


def stream_error(chunk: Mapping[str, Any]) -> ProviderError:
    """The typed error for an error object sent inside a stream."""
    message, code = describe(chunk)
    message = message or "Mistral reported an error in the stream"
    body = dict(chunk)
    status = chunk.get("raw_status_code")
    if isinstance(status, int) and not isinstance(status, bool) and 400 <= status < 600:
        return _classify(status, message, code, body=body)
    if _TOO_LONG.search(message):
        return ContextLengthExceededError(message, provider=PROVIDER, code=code, body=body)
    return ProviderError(message, provider=PROVIDER, code=code, body=body)


def describe(payload: Any) -> tuple[str, str | None]:
    """``(message, code)`` from any of Mistral's error shapes (``("", None)`` if none)."""
    if not isinstance(payload, Mapping):
        return "", None
    message = payload.get("message")
    if isinstance(message, Mapping):
        message = _validation(message.get("detail"))
    if not isinstance(message, str) or not message:
        message = _validation(payload.get("detail"))
    code = payload.get("type") or payload.get("code")
    return message, None if code is None else str(code)


def _validation(detail: Any) -> str:
    """A validation ``detail`` (a string, or a list of problems) as one line."""
    if isinstance(detail, str):
        return detail
    if not isinstance(detail, list):
        return ""
    problems = []
    for item in detail:
        if isinstance(item, Mapping):
            where = ".".join(str(step) for step in item.get("loc") or ())
            problem = str(item.get("msg", ""))
            problems.append(f"{where}: {problem}" if where else problem)
    return "; ".join(problems)


def _classify(
    status: int,
    message: str,
    code: str | None,
    *,
    body: Any,
    retry_after: float | None = None,
) -> ProviderError:
    if status in (400, 413, 422) and _TOO_LONG.search(message):
        return ContextLengthExceededError(
            message, provider=PROVIDER, status=status, code=code, body=body
        )
    return error_for_status(
        status, message, provider=PROVIDER, code=code, body=body, retry_after=retry_after
    )
