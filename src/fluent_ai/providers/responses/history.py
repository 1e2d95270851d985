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

This is the same contract as Anthropic's ``anthropic_content``, matched the same way
(see :mod:`fluent_ai.providers.verbatim`), except that an entry reads as a whole
message, so its role counts as well as its parts. ``decode_request`` fills the same key
for request messages whose items are not spelled as :func:`.items.encode_message`
would, which is how a gateway request survives ``encode(decode(body))`` exactly.

Reasoning items sent back by id need the response stored (``store``, OpenAI's default)
or their ``encrypted_content`` (ask for it with ``include:
["reasoning.encrypted_content"]``); which one is the caller's choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from fluent_ai.providers.responses.content import Wire
from fluent_ai.providers.responses.items import encode_message, read_message, split_items
from fluent_ai.providers.verbatim import Verbatim, entry_list
from fluent_ai.types import ConfigurationError, Message, Part, UnsupportedFeatureError

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


class VerbatimItems(Verbatim[Message, list[Wire]]):
    """Hands out the item lists of ``extra[ITEMS_KEY]`` to the messages they spell."""

    def __init__(self, entries: object, *, provider: str) -> None:
        checked = entry_list(
            entries, _is_items, key=ITEMS_KEY, holds="Responses item lists", provider=provider
        )
        super().__init__(checked, read=partial(entry_message, provider=provider), key=_reading)


def _reading(message: Message) -> tuple[str, list[Part]]:
    """What an entry's reading and a conversation's message must share: role and parts."""
    return message.role, message.parts


def _is_items(entry: object) -> bool:
    return isinstance(entry, list) and all(isinstance(item, dict) for item in entry)
