"""Refuse text no API can carry: lone surrogates, checked once where a request is built.

Python strings may hold surrogate code points (U+D800–U+DFFF) that are not characters:
``errors="surrogateescape"`` turns every byte that is not UTF-8 into one, and that is how
Python decodes command-line arguments, environment variables and file names, and stdin
under a C locale. They cannot be encoded as UTF-8, so left alone they surface far from
their cause: a ``UnicodeEncodeError`` inside the HTTP client, a ``TypeError`` inside the
local model's tokenizer. Every provider, remote or local, is handed a
:class:`~fluent_ai.types.ChatRequest`, so the request is the one place that sees all
text on its way out; :func:`check_request_text` runs when one is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, NoReturn

from fluent_ai.types.errors import InvalidTextError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from fluent_ai.types.messages import Message


def check_request_text(
    system: str | None, messages: Sequence[Message], stop: Sequence[str] | None
) -> None:
    """Raise :class:`InvalidTextError` for the first lone surrogate, naming where it is.

    Every request made runs this, so the common case costs one ``isascii`` a string,
    and other text one UTF-8 encoding (four times faster than a regular expression's
    search): where a text is is put into words only for the one that holds a surrogate.
    """
    if system is not None and (at := _surrogate(system)) is not None:
        _refuse(system, at, "the system prompt", None, None, "system")
    for index, sequence in enumerate(stop or ()):
        if (at := _surrogate(sequence)) is not None:
            _refuse(sequence, at, f"stop sequence {index}", None, None, "stop")
    for message_index, message in enumerate(messages):
        name = message.name
        if name is not None and (at := _surrogate(name)) is not None:
            where = f"the name of message {message_index} ({message.role})"
            _refuse(name, at, where, message_index, None, "name")
        for part_index, part in enumerate(message.parts):
            for field in _fields(type(part)):
                text = getattr(part, field)
                if isinstance(text, str) and (at := _surrogate(text)) is not None:
                    role, kind = message.role, part.type
                    where = f"message {message_index} ({role}), part {part_index} ({kind}) {field}"
                    _refuse(text, at, where, message_index, part_index, field)


@cache
def _fields(kind: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a part type that may hold text (all but its ``type`` tag)."""
    return tuple(name for name in kind.model_fields if name != "type")


def _surrogate(text: str) -> int | None:
    """Where the first surrogate in ``text`` is, else ``None``.

    ASCII text, by far the most common, needs no scan; in other text, a surrogate is
    the only code point UTF-8 cannot encode.
    """
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def _refuse(
    text: str,
    position: int,
    where: str,
    message_index: int | None,
    part_index: int | None,
    field: str,
) -> NoReturn:
    raise InvalidTextError(
        where,
        text[position],
        message_index=message_index,
        part_index=part_index,
        field=field,
        position=position,
    )
