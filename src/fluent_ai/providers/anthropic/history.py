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

The matching, and why it goes by content rather than position, is
:mod:`fluent_ai.providers.verbatim`'s. ``decode_request`` fills the same key for
request messages whose blocks have no neutral part, which is how a gateway request
survives ``encode(decode(body))``.
"""

from __future__ import annotations

from fluent_ai.providers.anthropic.blocks import read_content
from fluent_ai.providers.verbatim import ContentLists

CONTENT_KEY = "anthropic_content"


class VerbatimContent(ContentLists):
    """Hands out the verbatim content lists of ``extra[CONTENT_KEY]`` to the messages they match."""

    def __init__(self, contents: object) -> None:
        holds = "Anthropic content lists"
        super().__init__(contents, read_content, key=CONTENT_KEY, holds=holds, provider="anthropic")
