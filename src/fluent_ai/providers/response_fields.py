"""Plain fields read from a response body, checked where they are read.

A response's id and model name end up in :class:`~fluent_ai.types.ChatResponse`, whose
validation would reject a number or a boolean there with pydantic's own error, long
after the decoder that read it and with no word of which provider sent it; a list or
an object a decoder walks fails with a bare ``TypeError``. Read through these
functions, a wrong value is a :class:`~fluent_ai.types.BadResponseError` naming the
field and the provider, raised by the decoder itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.types import BadResponseError


def optional_text(body: Mapping[str, Any], name: str, provider: str | None) -> str | None:
    """``body[name]``: a string, or ``None`` when absent or null."""
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise BadResponseError(
        f"the response's {name!r} should be a string, not {type(value).__name__} {value!r:.80}",
        provider=provider,
    )


def optional_list(body: Mapping[str, Any], name: str, provider: str | None) -> list[Any]:
    """``body[name]``: a list, or ``[]`` when absent or null."""
    value = body.get(name)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise BadResponseError(
        f"the response's {name!r} should be a list, not {type(value).__name__} {value!r:.80}",
        provider=provider,
    )


def optional_mapping(body: Mapping[str, Any], name: str, provider: str | None) -> Mapping[str, Any]:
    """``body[name]``: an object, or ``{}`` when absent or null."""
    value = body.get(name)
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    raise BadResponseError(
        f"the response's {name!r} should be an object, not {type(value).__name__} {value!r:.80}",
        provider=provider,
    )
