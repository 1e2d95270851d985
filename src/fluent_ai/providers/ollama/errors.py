"""Ollama's error bodies, as typed errors.

Ollama answers a failure with ``{"error": "..."}`` and a status: 400 for a request the
model cannot serve (no tool or thinking support, a bad option), 404 for a model the
server does not have, 500 when the model runner fails. The status picks the class
(:func:`~fluent_ai.types.errors.error_for_status`); the wording refines it:

* a missing model (``model "llama3.2" not found, try pulling it first``) is a
  :class:`~fluent_ai.types.NotFoundError` that says how to get it, ``ollama pull``; a
  404 that names no model (``404 page not found``) means the base URL is wrong, and
  the error says where the native API lives;
* a prompt that does not fit the context window is a
  :class:`~fluent_ai.types.ContextLengthExceededError`.

An error can also come as a line of a stream that has begun, when the model runner
fails mid-answer. It has no status of its own and is a
:class:`~fluent_ai.types.ProviderUnavailableError` unless its wording says otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fluent_ai.http import parse_retry_after
from fluent_ai.providers.ollama.content import PROVIDER
from fluent_ai.types import (
    ContextLengthExceededError,
    NotFoundError,
    ProviderError,
    ProviderUnavailableError,
)
from fluent_ai.types.errors import error_for_status

_MISSING = re.compile(r"model ['\"]?(?P<model>[^'\"\s]+)['\"]? not found")
_TOO_LONG = re.compile(r"context (length|window|size)|too long", re.IGNORECASE)


def decode_error(status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
    text = body.decode("utf-8", errors="replace")
    try:
        payload: Any = json.loads(text)
    except ValueError:  # an HTML page or plain text: quoted as the message below
        payload = None
    message = payload.get("error") if isinstance(payload, Mapping) else None
    if not isinstance(message, str) or not message:
        message = text.strip()[:500] or f"HTTP {status} with an empty body"
    retry_after = parse_retry_after({name.lower(): value for name, value in headers.items()})
    kept = payload if payload is not None else text
    return error_from(message, status=status, body=kept, retry_after=retry_after)


def error_from(
    message: str, *, status: int | None, body: Any, retry_after: float | None = None
) -> ProviderError:
    """The typed error for Ollama's ``message``; ``status`` is ``None`` inside a stream."""
    missing = _MISSING.search(message)
    if missing and status in (None, 404):
        hint = f'{message}: run "ollama pull {missing["model"]}" on the Ollama host'
        return NotFoundError(hint, provider=PROVIDER, status=status, body=body)
    if status == 404:
        hint = (
            f"{message} (the native API lives at the server's root, "
            "e.g. http://localhost:11434, not under /v1)"
        )
        return NotFoundError(hint, provider=PROVIDER, status=status, body=body)
    if status in (None, 400, 413) and _TOO_LONG.search(message):
        return ContextLengthExceededError(message, provider=PROVIDER, status=status, body=body)
    if status is None:
        return ProviderUnavailableError(message, provider=PROVIDER, body=body)
    return error_for_status(status, message, provider=PROVIDER, body=body, retry_after=retry_after)
