"""Keeping API keys out of error messages, error bodies and logs.

Two layers: :func:`redact` scrubs anything that looks like a key of a known vendor
(``sk-…``, ``AIza…``, a bearer token) wherever error text is stored; :func:`redact_key`
cuts out the caller's own key, whatever its format, where a provider's answer is
first read.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr

MIN_SECRET_LENGTH = 8
"""Keys shorter than this are not searched for in error text (see :func:`redact_key`)."""

_SECRET_PATTERNS = (
    re.compile(r"\b(sk-(?:ant-|proj-|or-v1-)?[A-Za-z0-9_\-]{8,})"),
    re.compile(r"\b(AIza[0-9A-Za-z_\-]{20,})"),
    re.compile(r"\b(gsk_[A-Za-z0-9]{16,})"),
    re.compile(r"\b(xai-[A-Za-z0-9]{16,})"),
    re.compile(r"\b(hf_[A-Za-z0-9]{16,})"),
    re.compile(r"(?i)(bearer\s+)([A-Za-z0-9._\-]{12,})"),
)


def redact(text: str) -> str:
    """Replace anything that looks like an API key with a fixed marker."""
    for pattern in _SECRET_PATTERNS:
        if pattern.groups == 2:
            text = pattern.sub(lambda m: m.group(1) + "[REDACTED]", text)
        else:
            text = pattern.sub("[REDACTED]", text)
    return text


def redact_key(text: AnyStr, key: str | None) -> AnyStr:
    """``text`` with every whole occurrence of the caller's ``key`` replaced by a marker.

    The rule, kept here so every place that reads a provider's answer applies the same
    one (the chat runner and the embedding runner both do):

    * Only keys of :data:`MIN_SECRET_LENGTH` characters or more are redacted. Shorter
      ones are placeholders that local servers accept (``EMPTY``, ``ollama``, ``k``):
      they guard nothing, and cutting them out turned "tokens" into
      "to[REDACTED]ens" for ``OPENAI_API_KEY=k``.
    * A key is matched only as a whole token: where it starts or ends with a letter,
      digit or underscore, the character beside it must not be one, so a key is never
      cut out of the middle of a longer word. Punctuation, spaces, quotes, ``=`` and
      ``&`` all count as boundaries, so an echoed ``Bearer <key>``, ``"<key>"`` or
      ``?key=<key>&`` is still redacted.

    ``text`` may be ``str`` or ``bytes`` (a raw response body), and comes back the same.
    """
    if not key or len(key) < MIN_SECRET_LENGTH:
        return text
    before = r"(?<!\w)" if re.match(r"\w", key[0]) else ""
    after = r"(?!\w)" if re.match(r"\w", key[-1]) else ""
    source = before + re.escape(key) + after
    if isinstance(text, bytes):
        return re.sub(source.encode(), b"[REDACTED]", text)
    return re.sub(source, "[REDACTED]", text)


def redact_value(value: Any) -> Any:
    """``value`` (an error body: text, or parsed JSON) with anything key-like redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_value(item) for item in value]
    return value
