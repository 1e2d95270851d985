"""Responses API errors as typed errors: HTTP error bodies, and failures inside an answer.

An HTTP error has Chat Completions' body, ``{"error": {"message", "type", "param",
"code"}}``, from OpenAI, OpenRouter and DeepSeek alike (DeepSeek serves it as
``application/octet-stream``; only the bytes are read), so the protocol hands it to the
Chat Completions decoder (:func:`fluent_ai.providers.openai.errors.decode_error`): the
status picks the class, the code and message refine it.

A failure after the answer started has no status of its own. It arrives as a stream
``error`` event (``{"type": "error", "code", "message", "param"}``, some servers nest
the fields under ``error``), or as a response whose ``status`` is ``failed`` with an
``error`` object (``response.failed``, or a whole body). Its ``code`` decides the class:
OpenAI's codes (``server_error``, ``rate_limit_exceeded``, ``invalid_prompt``, the image
errors, …), OpenRouter's (``invalid_prompt`` also covers a context overflow, told apart
by its wording), or the error ``type``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fluent_ai.types import (
    ContentFilteredError,
    ContextLengthExceededError,
    InvalidRequestError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    TimeoutError,
)

_CODES: dict[str, type[ProviderError]] = {
    "server_error": ProviderUnavailableError,
    "rate_limit_exceeded": RateLimitError,
    "vector_store_timeout": TimeoutError,
    "context_length_exceeded": ContextLengthExceededError,
    "content_filter": ContentFilteredError,
    "content_policy_violation": ContentFilteredError,
    "image_content_policy_violation": ContentFilteredError,
    "invalid_prompt": InvalidRequestError,
    "invalid_request_error": InvalidRequestError,
}
_TYPES: dict[str, type[ProviderError]] = {
    "invalid_request_error": InvalidRequestError,
    "server_error": ProviderUnavailableError,
    "rate_limit_error": RateLimitError,
}
# The rest of OpenAI's documented response error codes: all say the input was unusable.
_REQUEST_PREFIXES = ("invalid_", "image_", "unsupported_", "empty_", "failed_to_download")
_TOO_LONG = re.compile(
    r"context[ _-]?(length|window)|maximum context|prompt is too long|too many tokens", re.I
)


def failure(detail: Any, *, provider: str, body: Any = None) -> ProviderError:
    """The typed error for the ``error`` object of a failed response or an ``error`` event."""
    if isinstance(detail, Mapping) and isinstance(detail.get("error"), Mapping):
        detail = detail["error"]
    if not isinstance(detail, Mapping):
        detail = {}
    code = None if detail.get("code") is None else str(detail["code"])
    message = str(detail.get("message") or "the response failed")
    kwargs: dict[str, Any] = {"provider": provider, "code": code, "body": (body)}
    if code == "insufficient_quota":
        return RateLimitError(message, retryable=False, **kwargs)
    cls = _CODES.get(code or "") or _TYPES.get(str(detail.get("type") or ""))
    if cls is None and code is not None and code.startswith(_REQUEST_PREFIXES):
        cls = InvalidRequestError
    if cls is InvalidRequestError and _TOO_LONG.search(message):
        cls = ContextLengthExceededError
    return (cls or ProviderError)(message, **kwargs)
