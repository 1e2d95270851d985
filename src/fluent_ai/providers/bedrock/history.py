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

The matching, and why it goes by content rather than position, is
:mod:`fluent_ai.providers.verbatim`'s. ``decode_request`` fills the same key for
request messages whose blocks have no exact neutral form.
"""

from __future__ import annotations

from fluent_ai.providers.bedrock.blocks import read_content
from fluent_ai.providers.verbatim import ContentLists

CONTENT_KEY = "bedrock_content"


class VerbatimContent(ContentLists):
    """Hands out the content lists of ``extra[CONTENT_KEY]`` to the messages they match."""

    def __init__(self, contents: object) -> None:
        holds = "Bedrock content lists"
        super().__init__(contents, read_content, key=CONTENT_KEY, holds=holds, provider="bedrock")
