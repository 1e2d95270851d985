"""Contents that have no exact neutral form, kept as Gemini spelled them so they go back as is.

Code execution answers hold ``executableCode`` and ``codeExecutionResult`` parts, image
models answer with ``inlineData``, and requests from other clients spell things their
own way (snake_case fields, URL-safe base64, ``{"return_value": …}`` tool responses,
contents without a role). None of that fits a neutral part exactly, so it travels beside
the message under one key, in both directions:

* a response whose parts include ones without a neutral reading carries
  ``extra[CONTENTS_KEY] = [content]``: the whole ``Content`` object, with the ids this
  library gave its function calls filled in, so tool results still match them;
* a request may carry ``extra[CONTENTS_KEY]``, a list of ``Content`` objects; each is
  sent in place of the first message (in order) whose parts read the same, so a chat
  loop only appends ``response.extra[CONTENTS_KEY]`` to the request's list.

Matching by content rather than by position keeps this safe when a conversation is
edited: a changed message no longer matches its old spelling and is sent as its parts
say. ``decode_request`` fills the same key for request contents that its encoder would
spell differently, which is how a gateway request survives ``encode(decode(body))``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fluent_ai.providers.google.parts import CallIds, read_parts
from fluent_ai.providers.google.wire import get
from fluent_ai.types import (
    ConfigurationError,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)

CONTENTS_KEY = "gemini_contents"

Content = dict[str, Any]


class VerbatimContents:
    """Hands out the contents of ``extra[CONTENTS_KEY]`` to the messages they match."""

    def __init__(self, contents: object) -> None:
        problem = f"extra[{CONTENTS_KEY!r}] must be a list of Gemini Content objects"
        if not isinstance(contents, list) or not all(
            isinstance(c, Mapping) and isinstance(get(c, "parts"), list) for c in contents
        ):
            raise ConfigurationError(problem, provider="google")
        calls = CallIds()
        try:
            self._entries = [
                (content_key(read_parts(get(content, "parts"), calls)), dict(content))
                for content in contents
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"{problem}: {exc!r}", provider="google") from exc
        self._next = 0

    def take(self, parts: Sequence[Part]) -> Content | None:
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

    A streamed answer gathers neighbouring text and thoughts into single parts and ids
    its function calls itself, while the content it came from has one part per chunk
    and calls without ids; the key evens out exactly those differences.
    """
    items: list[tuple[Any, ...]] = []
    for part in parts:
        for item in _items(part):
            if items and item[0] in ("text", "thinking") and items[-1][0] == item[0]:
                items[-1] = (item[0], items[-1][1] + item[1])
            else:
                items.append(item)
    return tuple(items)


def _items(part: Part) -> Iterable[tuple[Any, ...]]:
    if isinstance(part, TextPart):
        return [("text", part.text)] if part.text else []
    if isinstance(part, ThinkingPart):
        if part.redacted is not None:
            return []
        thinking = [("thinking", part.text)] if part.text else []
        return thinking + ([("signature", part.signature)] if part.signature else [])
    if isinstance(part, ToolCallPart):
        return [("call", part.name, _parsed(part.arguments))]
    if isinstance(part, ToolResultPart):
        return [("result", part.content, part.is_error)]
    return [(part.type, part.url, part.data, part.media_type)]


def _parsed(arguments: str) -> Any:
    try:
        return json.loads(arguments or "{}")
    except ValueError:
        return arguments
