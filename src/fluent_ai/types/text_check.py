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

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from fluent_ai.types.errors import InvalidTextError

if TYPE_CHECKING:
    from fluent_ai.types.messages import Message

_SURROGATE = re.compile("[\ud800-\udfff]")


def check_request_text(
    system: str | None, messages: Sequence[Message], stop: Sequence[str] | None
) -> None:
    """Raise :class:`InvalidTextError` for the first lone surrogate, naming where it is."""
    if system is not None:
        _check(system, "the system prompt", message_index=None, part_index=None, field="system")
    for index, sequence in enumerate(stop or ()):
        where = f"stop sequence {index}"
        _check(sequence, where, message_index=None, part_index=None, field="stop")
    for message_index, message in enumerate(messages):
        if message.name is not None:
            where = f"the name of message {message_index} ({message.role})"
            _check(message.name, where, message_index=message_index, part_index=None, field="name")
        for part_index, kind, field, text in _part_texts(message):
            where = f"message {message_index} ({message.role}), part {part_index} ({kind}) {field}"
            _check(text, where, message_index=message_index, part_index=part_index, field=field)


def _part_texts(message: Message) -> Iterator[tuple[int, str, str, str]]:
    """``(part index, part type, field, text)`` for every string field of every part."""
    for part_index, part in enumerate(message.parts):
        for field in type(part).model_fields:
            value = getattr(part, field)
            if isinstance(value, str) and field != "type":
                yield part_index, part.type, field, value


def _check(
    text: str, where: str, *, message_index: int | None, part_index: int | None, field: str
) -> None:
    # ASCII text, by far the most common, needs no scan.
    if text.isascii():
        return
    found = _SURROGATE.search(text)
    if found is not None:
        raise InvalidTextError(
            where,
            found.group(),
            message_index=message_index,
            part_index=part_index,
            field=field,
            position=found.start(),
        )
