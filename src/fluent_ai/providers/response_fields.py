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

from fluent_ai.http.json_codec import loads
from fluent_ai.types import BadResponseError


def json_object(data: str, what: str, provider: str | None) -> dict[str, Any]:
    """A stream message's JSON object; one that is not JSON, or not an object, is a
    :class:`BadResponseError` naming ``what`` it was (``"a stream event"``)."""
    try:
        value = loads(data)
    except ValueError as exc:
        raise BadResponseError(
            f"{what} that is not JSON: {data[:200]!r}", provider=provider
        ) from exc
    if not isinstance(value, dict):
        raise BadResponseError(
            f"{what} that is not a JSON object: {data[:200]!r}", provider=provider
        )
    return value


def optional_text(body: Mapping[str, Any], name: str, provider: str | None) -> str | None:
    """``body[name]``: a string, or ``None`` when absent or null."""
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise BadResponseError(
        f"the response's {name!r} should be a string, not {type(value).__name__} {value!r:.80}",
        provider=provider,
    )


def required_text(body: Mapping[str, Any], name: str, provider: str | None) -> str:
    """``body[name]``: a string that must be there (a tool call's id, a text delta)."""
    value = optional_text(body, name, provider)
    if value is None:
        raise BadResponseError(f"the response has no {name!r}", provider=provider)
    return value


def optional_count(body: Mapping[str, Any], name: str, provider: str | None) -> int:
    """``body[name]``: a token count (a whole number, even if sent as ``12.0``), or ``0``
    when absent or null."""
    value = body.get(name)
    if value is None:
        return 0
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise BadResponseError(
        f"the response's {name!r} should be a count of tokens, not {value!r:.80}",
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
    # json.loads makes dicts: the exact type check skips the ABC machinery per chunk.
    if type(value) is dict or isinstance(value, Mapping):
        return value
    raise BadResponseError(
        f"the response's {name!r} should be an object, not {type(value).__name__} {value!r:.80}",
        provider=provider,
    )


def optional_objects(
    body: Mapping[str, Any], name: str, provider: str | None
) -> list[Mapping[str, Any]]:
    """``body[name]``: a list of objects (content blocks, output items), ``[]`` when absent."""
    items = optional_list(body, name, provider)
    for item in items:
        if not isinstance(item, Mapping):
            raise BadResponseError(
                f"the response's {name!r} should hold objects, not {type(item).__name__} "
                f"{item!r:.80}",
                provider=provider,
            )
    return items
