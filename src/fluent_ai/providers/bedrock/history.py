"""Content that has no neutral part, kept as Bedrock spelled it so it can be sent back.

Some content has no neutral part yet must reach the model again in the next turn: Nova's
code interpreter answers with a server ``toolUse`` and its ``toolResult`` inside the
assistant message; a tool result may hold a document or JSON; a message may carry
``cachePoint`` markers. So it travels beside the message, under one key, both ways:

* a response whose content has such blocks carries ``extra[CONTENT_KEY] = [content]``:
  the whole content list, exactly as Bedrock sent it;
* a request may carry ``extra[CONTENT_KEY]``, a list of such content lists; each is
  sent in place of the first message (in order) whose neutral parts it reads as, so a
  chat loop only appends ``response.extra[CONTENT_KEY]`` to the request's list.

Matching by content rather than by position keeps this safe when a conversation is
edited: a changed message no longer matches its old spelling and is sent as its parts
say; an entry whose message was dropped is not used. ``decode_request`` fills the same
key for request messages whose blocks have no exact neutral form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fluent_ai.providers.anthropic.history import content_key
from fluent_ai.providers.bedrock.blocks import Block, read_content
from fluent_ai.types import ConfigurationError, Part

CONTENT_KEY = "bedrock_content"


class VerbatimContent:
    """Hands out the content lists of ``extra[CONTENT_KEY]`` to the messages they match."""

    def __init__(self, contents: object) -> None:
        if not isinstance(contents, list) or not all(isinstance(c, list) for c in contents):
            raise ConfigurationError(
                f"extra[{CONTENT_KEY!r}] must be a list of Bedrock content lists",
                provider="bedrock",
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
        key = content_key(parts)
        for index in range(self._next, len(self._entries)):
            entry_key, content = self._entries[index]
            if entry_key == key:
                self._next = index + 1
                return content
        return None
