"""Turn whatever a tool returned into the text the model reads.

Strings are sent as they are; everything else is written as JSON, which models read
reliably: pydantic models, dataclasses, dicts, lists, numbers, ``None`` (as ``null``),
dates, enums. A value JSON cannot hold falls back to its ``str()``.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json


def to_text(value: Any) -> str:
    """The tool result text for a returned value."""
    if isinstance(value, str):
        return value
    return to_json(value, fallback=str).decode("utf-8")
