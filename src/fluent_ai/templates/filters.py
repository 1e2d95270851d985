"""Filters that prompts keep needing, written once for every engine.

Each is a plain function whose first argument is the value being filtered, which is
the calling convention of Jinja and Liquid filters; the Handlebars engine adapts them to
helpers. In a template::

    Jinja       {{ now | date("%B %d") }}   {{ doc | truncate_tokens(500) }}
    Liquid      {{ now | date: "%B %d" }}   {{ doc | truncate_tokens: 500 }}
    Handlebars  {{date now "%B %d"}}        {{truncate_tokens doc 500}}
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from fluent_ai.templates.tokenizer import DEFAULT_TOKENIZER, Tokenizer

Filter = Callable[..., Any]


def format_date(value: object = None, format: str = "%Y-%m-%d") -> str:
    """Format a date with ``strftime`` codes; ISO ``2025-01-31`` by default.

    ``value`` may be a ``date`` or ``datetime``, an ISO 8601 string, ``"now"`` or
    ``"today"`` (as Liquid allows), a Unix timestamp (read as UTC), or nothing (the current time).
    """
    return _as_date(value).strftime(format)


def _as_date(value: object) -> date:
    if value is None or value in ("now", "today"):
        return datetime.now().astimezone()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    raise TypeError(f"cannot read a date from {type(value).__name__} {value!r}")


def to_json(value: object, indent: int | None = None) -> str:
    """Serialise ``value`` as JSON, leaving non-ASCII text readable.

    Dates become ISO strings, pydantic models and dataclasses their fields. Unlike
    Jinja's ``tojson`` nothing is HTML-escaped: a prompt is not a web page.
    """
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def _json_default(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def truncate_tokens(
    text: object, max_tokens: int, end: str = "", tokenizer: Tokenizer | None = None
) -> str:
    """Keep the start of ``text`` that fits in ``max_tokens`` tokens.

    When text is cut, ``end`` (say ``"…"``) is appended and the result, ``end``
    included, still fits; an ``end`` longer than the whole budget is left off. Counts
    come from ``tokenizer``, by default an estimate: see
    :class:`~fluent_ai.templates.tokenizer.EstimatedTokenizer`.
    """
    counter = tokenizer or DEFAULT_TOKENIZER
    text = str(text)
    if counter.count(text) <= max_tokens:
        return text
    room = max_tokens - counter.count(end)
    if room < 0:
        return counter.truncate(text, max_tokens)
    return counter.truncate(text, room) + end


def indent(text: object, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Indent every line after the first by ``width`` spaces (or by the string given).

    The same arguments and defaults as Jinja's own ``indent``: ``first`` indents the
    first line too, ``blank`` indents empty lines too.
    """
    prefix = width if isinstance(width, str) else " " * width
    lines = str(text).split("\n")
    return "\n".join(
        line if (index == 0 and not first) or (not line.strip() and not blank) else prefix + line
        for index, line in enumerate(lines)
    )


def bullets(items: object, marker: str = "-") -> str:
    """One ``- item`` line per item; a string gives one bullet per non-empty line.

    Lines after the first in a multi-line item are indented under the item's text.
    """
    return "\n".join(_list_item(marker, item) for item in _items(items))


def numbered(items: object, start: int = 1) -> str:
    """One ``1. item`` line per item, counting from ``start``."""
    return "\n".join(
        _list_item(f"{number}.", item) for number, item in enumerate(_items(items), start)
    )


def _items(items: object) -> Iterable[object]:
    if isinstance(items, str):
        return [line for line in items.splitlines() if line.strip()]
    if isinstance(items, Iterable):
        return items
    return [items]


def _list_item(marker: str, item: object) -> str:
    return f"{marker} " + indent(str(item), len(marker) + 1)


def builtin_filters() -> dict[str, Filter]:
    """The filters every engine starts with, by the names templates use."""
    return {
        "date": format_date,
        "json": to_json,
        "truncate_tokens": truncate_tokens,
        "indent": indent,
        "bullets": bullets,
        "numbered": numbered,
    }
