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

The matching, and why it goes by content rather than position, is
:mod:`fluent_ai.providers.verbatim`'s. ``decode_request`` fills the same key for request
contents that its encoder would spell differently, which is how a gateway request
survives ``encode(decode(body))``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.providers.google.parts import CallIds, read_parts
from fluent_ai.providers.google.wire import get
from fluent_ai.providers.verbatim import Item, Verbatim, content_key, entry_list, part_items
from fluent_ai.types import ConfigurationError, DocumentPart, ImagePart, Part, ThinkingPart

CONTENTS_KEY = "gemini_contents"

Content = dict[str, Any]

_HOLDS = "Gemini Content objects"


class VerbatimContents(Verbatim[Sequence[Part], Content]):
    """Hands out the contents of ``extra[CONTENTS_KEY]`` to the messages they match."""

    def __init__(self, contents: object) -> None:
        entries = entry_list(
            contents, _is_content, key=CONTENTS_KEY, holds=_HOLDS, provider="google"
        )
        calls = CallIds()
        try:
            super().__init__(
                [dict(content) for content in entries],
                read=lambda content: read_parts(get(content, "parts"), calls),
                key=gemini_key,
            )
        except (KeyError, TypeError, ValueError) as exc:
            problem = f"extra[{CONTENTS_KEY!r}] must be a list of {_HOLDS}: {exc!r}"
            raise ConfigurationError(problem, provider="google") from exc


def gemini_key(parts: Sequence[Part]) -> tuple[Item, ...]:
    """What two readings of one message agree on, for Gemini.

    Beyond what :func:`~fluent_ai.providers.verbatim.content_key` evens out, a streamed
    answer gathers neighbouring thoughts into one part and ids its function calls
    itself, while the content it came from has one part per chunk and calls without ids.
    """
    return content_key(parts, _items)


def _items(part: Part) -> list[Item]:
    """A part as Gemini's wire keeps it: thoughts as text and signature, binaries by content.

    A redacted thought and an image's ``detail`` or a document's ``name`` have no Gemini
    spelling, so they are not something two readings could agree on.
    """
    if isinstance(part, ThinkingPart):
        if part.redacted is not None:
            return []
        thinking: list[Item] = [("thinking", part.text)] if part.text else []
        return thinking + ([("signature", part.signature)] if part.signature else [])
    if isinstance(part, ImagePart | DocumentPart):
        return [(part.type, part.url, part.data, part.media_type)]
    return part_items(part, call_ids=False)


def _is_content(content: object) -> bool:
    return isinstance(content, Mapping) and isinstance(get(content, "parts"), list)
