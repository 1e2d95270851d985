"""Where text meets text across blocks that have no part, the answer keeps a paragraph break.

Anthropic splits an answer into content blocks. Adjacent text blocks are one piece of
prose cut up for citations (a web search answer arrives as dozens of them, some ending
mid-sentence with ``"\\n- "``), so they are joined as they are. But text on either side
of a server tool's blocks was written separately: "I'll calculate that for you right
away!", then a ``server_tool_use`` and its ``*_tool_result``, then "Following the order
of operations…". Those blocks have no neutral part, so nothing in the message stood
between the two texts, and a reader got "…right away!Following…".

The rule: a text block that follows a block without a neutral part (server tool use
and results, MCP tool blocks, any block type newer than this library), when the
message already had text, starts with a blank line, shortened by the newlines the
earlier text already ends with. Blocks with parts of their own (thinking, a tool call)
leave the texts in separate parts, and add nothing.

The separator is part of the neutral reading only: a streamed answer, a whole one and
a content list read back for the next turn all get it (so the verbatim content still
matches its message, see :mod:`fluent_ai.providers.anthropic.history`), while
Anthropic's own blocks, which are always kept when a message has such blocks, are sent
back unchanged.
"""

from __future__ import annotations

PARAGRAPH = "\n\n"


class TextBoundary:
    """Follows the blocks of one message and says what text goes before a text block."""

    __slots__ = ("_gap", "_tail")

    def __init__(self) -> None:
        self._tail: str | None = None  # the end of the text so far; None before any text
        self._gap = False  # a block without a part came after that text

    def block(self, kind: object, *, readable: bool) -> str:
        """The separator to put before a block of type ``kind`` ("" for none).

        ``readable`` says whether the block has a neutral part
        (:func:`~fluent_ai.providers.anthropic.blocks.read_block` reads it).
        """
        if kind != "text":
            if not readable and self._tail is not None:
                self._gap = True
            return ""
        if not self._gap or self._tail is None:
            return ""
        self._gap = False
        ending = len(self._tail) - len(self._tail.rstrip("\n"))
        separator = PARAGRAPH[min(ending, len(PARAGRAPH)) :]
        self.text(separator)
        return separator

    def text(self, piece: str) -> None:
        """Text of the current text block (or a piece of it, as it streams) went out."""
        if piece:
            self._tail = ((self._tail or "") + piece)[-len(PARAGRAPH) :]
