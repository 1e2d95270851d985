"""Items with no neutral spelling, kept as the API spelled them so they can be sent back.

A reasoning model's answer holds ``reasoning`` items whose ``id`` and
``encrypted_content`` the next turn must send back, built-in tool calls
(``web_search_call``, ``mcp_call``, ``code_interpreter_call``), and messages with ids,
annotations and a ``phase``. None of that has a neutral part, yet the API wants it back
to continue the same conversation (OpenAI's own advice is to append ``response.output``
to the next ``input``). So it travels beside the messages, under one key, both ways:

* a response whose output the neutral parts cannot spell carries
  ``extra[ITEMS_KEY] = [output]``: the whole output list, exactly as the API sent it;
* a request may carry ``extra[ITEMS_KEY]``, a list of item lists; each is sent in place
  of the first message (in order) whose neutral reading it is, so a chat loop only
  appends ``response.extra[ITEMS_KEY]`` to the request's list.

This is the same contract as Anthropic's ``anthropic_content``. Matching by reading
rather than by position keeps it safe when a conversation is edited: a message that was
changed no longer matches its old items and is sent as its parts say; an entry for a
message that was dropped is simply not used. ``decode_request`` fills the same key for
request messages whose items are not spelled as :func:`.items.encode_message` would,
which is how a gateway request survives ``encode(decode(body))`` exactly.

Reasoning items sent back by id need the response stored (``store``, OpenAI's default)
or their ``encrypted_content`` (ask for it with ``include:
["reasoning.encrypted_content"]``); which one is the caller's choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.providers.responses.content import Wire
from fluent_ai.providers.responses.items import encode_message, read_message, split_items
from fluent_ai.types import ConfigurationError, Message, UnsupportedFeatureError

ITEMS_KEY = "responses_items"


def entry_message(items: Sequence[Mapping[str, Any]], *, provider: str) -> Message:
    """The one neutral message a list of items spells."""
    groups = split_items(items)
    if len(groups) != 1:
        raise ConfigurationError(
            f"each entry of extra[{ITEMS_KEY!r}] must hold the items of one message, "
            f"not {len(groups)}",
            provider=provider,
        )
    return read_message(*groups[0])


def spelled_neutrally(
    message: Message, items: Sequence[Mapping[str, Any]], *, provider: str
) -> bool:
    """Whether encoding the message's neutral reading gives back exactly these items."""
    try:
        return encode_message(message, provider=provider) == list(items)
    except UnsupportedFeatureError:
        return False


class VerbatimItems:
    """Hands out the item lists of ``extra[ITEMS_KEY]`` to the messages they spell."""

    def __init__(self, entries: object, *, provider: str) -> None:
        if not isinstance(entries, list) or not all(_is_items(entry) for entry in entries):
            raise ConfigurationError(
                f"extra[{ITEMS_KEY!r}] must be a list of Responses item lists", provider=provider
            )
        self._entries: list[tuple[Message, list[Wire]]] = [
            (entry_message(entry, provider=provider), entry) for entry in entries
        ]
        self._next = 0

    def take(self, message: Message) -> list[Wire] | None:
        """The next entry whose reading is ``message``, if any.

        Entries are used in order: one passed over on the way (its message is no longer
        in the conversation) is not used later.
        """
        for index in range(self._next, len(self._entries)):
            read, items = self._entries[index]
            if read.role == message.role and read.parts == message.parts:
                self._next = index + 1
                return items
        return None


def _is_items(entry: object) -> bool:
    return isinstance(entry, list) and all(isinstance(item, dict) for item in entry)
