"""Content that has no neutral part, kept as Anthropic spelled it so it can be sent back.

A web search answer holds ``server_tool_use`` and ``web_search_tool_result`` blocks and
text with citations; a code execution answer holds the run's output. None of that has
a neutral part, yet Anthropic needs it back in the next turn to continue the same
conversation (and must get it back after a ``pause_turn``). So it travels beside the
message, under one key, in both directions:

* a response whose content has such blocks carries ``extra[CONTENT_KEY] = [content]``:
  the whole content list, exactly as Anthropic sent it;
* a request may carry ``extra[CONTENT_KEY]``, a list of such content lists; each is
  sent in place of the first message (in order) whose neutral parts it reads as, so a
  chat loop only appends ``response.extra[CONTENT_KEY]`` to the request's list.

Matching by content rather than by position keeps this safe when a conversation is
edited: a message that was changed no longer matches its old spelling and is sent as
its parts say; an entry for a message that was dropped is simply not used.
``decode_request`` fills the same key for request messages whose blocks have no
neutral part, which is how a gateway request survives ``encode(decode(body))``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from fluent_ai.providers.anthropic.blocks import Block, read_content
from fluent_ai.types import ConfigurationError, Part, TextPart, ToolCallPart, ToolResultPart

CONTENT_KEY = "anthropic_content"


class VerbatimContent:
    """Hands out the verbatim content lists of ``extra[CONTENT_KEY]`` to the messages they match."""

    def __init__(self, contents: object) -> None:
        if not isinstance(contents, list) or not all(isinstance(c, list) for c in contents):
            raise ConfigurationError(
                f"extra[{CONTENT_KEY!r}] must be a list of Anthropic content lists",
                provider="anthropic",
            )
        self._entries: list[tuple[tuple[Any, ...], list[Block]]] = [
            (content_key(read_content(content)), content) for content in contents
        ]
        self._next = 0

    def take(self, parts: Sequence[Part]) -> list[Block] | None:
        """The next entry whose neutral reading is ``parts``, if any.

        Entries are used in order: one passed over on the way (its message is no longer
        in the conversation) is not used later.
        """
        if self._next >= len(self._entries):
            return None
        key = content_key(parts)
        for index in range(self._next, len(self._entries)):
            entry_key, content = self._entries[index]
            if entry_key == key:
                self._next = index + 1
                return content
        return None


def content_key(parts: Iterable[Part]) -> tuple[Any, ...]:
    """What two readings of one message agree on.

    A streamed answer gathers neighbouring text into one part and keeps tool arguments
    as the text the model wrote, while a content list has one block per citation and
    parsed arguments; the key evens out exactly those differences.
    """
    items: list[Any] = []
    for part in parts:
        if isinstance(part, TextPart):
            if not part.text:
                continue
            if items and items[-1][0] == "text":
                items[-1] = ("text", items[-1][1] + part.text)
            else:
                items.append(("text", part.text))
        elif isinstance(part, ToolCallPart):
            items.append(("tool_call", part.id, part.name, _parsed(part.arguments)))
        elif isinstance(part, ToolResultPart):
            items.append(("tool_result", part.tool_call_id, part.content, part.is_error))
        else:
            items.append((part.type, part))
    return tuple(items)


def _parsed(arguments: str) -> Any:
    try:
        return json.loads(arguments or "{}")
    except ValueError:
        return arguments
