"""Top-level request fields: a neutral field, its wire key, and both directions.

Every protocol that decodes its own request bodies (the gateway receives them) keeps
a table of :class:`WireField` entries. The decoder claims a wire field for the neutral
request only when rendering what it read gives the wire value back exactly; anything
else stays in ``ChatRequest.extra`` as it came and is sent on unchanged. The encoder
renders with the same functions, so the two directions cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from fluent_ai.types import ChatRequest


class WireField(NamedTuple):
    """A neutral ``ChatRequest`` field and how its wire value is read and written."""

    name: str
    read: Callable[[Any], Any]
    render: Callable[[Any], Any]


def same(value: Any) -> Any:
    return value


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    return float(value)


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an integer")
    return value


def strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("not a list of strings")
    return value


def mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


def encode_fields(fields: Mapping[str, WireField], request: ChatRequest) -> dict[str, Any]:
    """The wire values of every neutral field the request sets, in table order.

    A renderer returns None for a value the wire spells by leaving the key out (Cohere's
    and Ollama's ``auto`` tool choice).
    """
    wire: dict[str, Any] = {}
    for key, field in fields.items():
        value = getattr(request, field.name)
        if value is not None and (rendered := field.render(value)) is not None:
            wire[key] = rendered
    return wire


def claim_fields(fields: Mapping[str, WireField], rest: dict[str, Any]) -> dict[str, Any]:
    """Move the fields that read back exactly out of ``rest``; return them by neutral name."""
    claimed: dict[str, Any] = {}
    for key, field in fields.items():
        if key not in rest:
            continue
        try:
            value = field.read(rest[key])
        except (TypeError, ValueError, KeyError, AttributeError):  # not ours to read: keep it
            continue
        if field.render(value) == rest[key]:
            claimed[field.name] = value
            del rest[key]
    return claimed
