"""Reading Gemini JSON the way Google's servers do.

Google parses request bodies with the protobuf JSON rules, which accept a field under
its lowerCamelCase name or its original snake_case one: ``fileData`` and ``file_data``
are the same field, and SDKs send either (pydantic-ai's recordings hold both). Readers
here go through :func:`get`, so both spellings mean the same thing; writers always
use lowerCamelCase, the spelling of Google's own responses and documentation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

WirePart = dict[str, Any]
"""One Gemini ``Part``: exactly one data field (``text``, ``functionCall``, …) plus
optional flags (``thought``, ``thoughtSignature``)."""

_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


@cache
def snake(name: str) -> str:
    """``fileUri`` → ``file_uri``."""
    return _UPPER.sub("_", name).lower()


def get(obj: Mapping[str, Any], name: str) -> Any:
    """``obj[name]`` under either spelling, lowerCamelCase first; ``None`` when absent."""
    if name in obj:
        return obj[name]
    return obj.get(snake(name))


def has(obj: Mapping[str, Any], name: str) -> bool:
    return name in obj or snake(name) in obj
