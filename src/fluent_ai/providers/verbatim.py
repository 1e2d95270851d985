"""Provider content kept verbatim beside the messages it stands for, and matched back to them.

Some protocols answer with content no neutral part can spell exactly: Anthropic's
server-tool blocks and citations, the Responses API's reasoning items, Bedrock's server
tool results, Gemini's code execution parts. Each keeps that content as it came, one
entry per message, in ``extra`` under its own key (see :mod:`fluent_ai.providers.history`),
and when it encodes a request, sends each entry in place of the first message, in order,
that reads the same. :class:`Verbatim` does that matching; :func:`content_key` is what
"reads the same" means for the protocols whose entries read as a list of parts, and
:class:`ContentLists` the matcher for those whose entries are each a content list.

Matching by reading rather than by position keeps this safe when a conversation is
edited: a changed message no longer matches its old spelling and is sent as its parts
say; an entry whose message was dropped is passed over and never used.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from fluent_ai.types import ConfigurationError, Part, TextPart, ToolCallPart, ToolResultPart

Reading = TypeVar("Reading")
Entry = TypeVar("Entry")

Item = tuple[Any, ...]
"""One thing a message says, as a key holds it: a tag naming what it is, then its values."""

JOINED = frozenset({"text", "thinking"})
"""Tags of items that hold text a stream gathers from many chunks into one part.

:func:`part_items` makes only ``text`` items; a protocol whose stream gathers thoughts
too (Gemini) reads them as ``thinking`` items.
"""


class Verbatim(Generic[Reading, Entry]):
    """Hands out verbatim entries to the messages whose neutral reading they share.

    ``read`` turns an entry into the neutral form its message has (a list of parts, or a
    whole message), and ``key`` turns that form into what two readings of one message
    agree on; an entry goes to a message when their keys are equal. One ``key`` serves
    both sides, so an entry and the message it came from cannot be keyed differently.
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        read: Callable[[Entry], Reading],
        key: Callable[[Reading], object],
    ) -> None:
        self._key = key
        self._entries = [(key(read(entry)), entry) for entry in entries]
        self._next = 0

    def take(self, reading: Reading) -> Entry | None:
        """The next entry whose key is that of ``reading``, if any.

        Entries are used in order: one passed over on the way (its message is no longer
        in the conversation) is not used later.
        """
        if self._next >= len(self._entries):
            return None
        key = self._key(reading)
        for index in range(self._next, len(self._entries)):
            entry_key, entry = self._entries[index]
            if entry_key == key:
                self._next = index + 1
                return entry
        return None


class ContentLists(Verbatim[Sequence[Part], list[Any]]):
    """Entries that are each one message's content list, keyed by :func:`content_key`.

    Anthropic and Bedrock keep their history so; ``read`` is the protocol's reading of a
    content list, and ``holds`` names such lists in the error a wrong shape gets.
    """

    def __init__(
        self,
        contents: object,
        read: Callable[[list[Any]], Sequence[Part]],
        *,
        key: str,
        holds: str,
        provider: str,
    ) -> None:
        entries = entry_list(
            contents,
            lambda content: isinstance(content, list),
            key=key,
            holds=holds,
            provider=provider,
        )
        super().__init__(entries, read=read, key=content_key)


def entry_list(
    value: object, is_entry: Callable[[object], bool], *, key: str, holds: str, provider: str
) -> list[Any]:
    """``value`` as the list ``extra[key]`` must be, each entry passing ``is_entry``.

    A caller builds this list by hand as often as it copies it from a response, so a
    wrong shape is reported as the configuration mistake it is, naming the key.
    """
    if not isinstance(value, list) or not all(is_entry(entry) for entry in value):
        raise ConfigurationError(f"extra[{key!r}] must be a list of {holds}", provider=provider)
    return value


def part_items(part: Part, *, call_ids: bool = True) -> list[Item]:
    """The items a part reads as: empty text says nothing, tool arguments by their value.

    Parts other than text, tool calls and tool results are compared whole. Without
    ``call_ids``, tool calls and results leave out the call id, for protocols whose
    wire has none, where each reading makes up its own.
    """
    if isinstance(part, TextPart):
        return [("text", part.text)] if part.text else []
    if isinstance(part, ToolCallPart):
        call_id = part.id if call_ids else None
        return [("tool_call", call_id, part.name, _parsed(part.arguments))]
    if isinstance(part, ToolResultPart):
        call_id = part.tool_call_id if call_ids else None
        return [("tool_result", call_id, part.content, part.is_error)]
    return [("part", part)]


def content_key(
    parts: Iterable[Part], read: Callable[[Part], Iterable[Item]] = part_items
) -> tuple[Item, ...]:
    """What two readings of one message agree on.

    A streamed answer gathers neighbouring text into one part and keeps tool arguments
    as the text the model wrote, while a content list has one block per chunk or
    citation and parsed arguments; the key evens out exactly those differences. Each
    part is read into items by ``read`` (:func:`part_items` unless a protocol has more
    to even out), and neighbouring items of one :data:`JOINED` tag become one.
    """
    items: list[Item] = []
    for part in parts:
        for item in read(part):
            if items and item[0] in JOINED and items[-1][0] == item[0]:
                items[-1] = (item[0], items[-1][1] + item[1])
            else:
                items.append(item)
    return tuple(items)


def _parsed(arguments: str) -> Any:
    try:
        return json.loads(arguments or "{}")
    except ValueError:
        return arguments
