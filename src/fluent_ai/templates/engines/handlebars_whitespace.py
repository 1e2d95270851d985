"""Whitespace control: what ``~`` marks and standalone tags take out of the text.

Two rules of Handlebars.js decide the whitespace of the output:

- ``{{~`` removes all whitespace, line breaks included, from the end of the text
  before the tag, and ``~}}`` from the start of the text after it.
- A block tag (``{{#if}}``, ``{{else}}``, ``{{/if}}``, ``{{^x}}``), a comment or a
  raw-block tag that is alone on its line, with only whitespace beside it, is
  *standalone*: its line's indentation and line break go, so that a template laid
  out one tag per line leaves no blank lines behind. Whether a tag is alone is
  judged on the text as written, before anything was removed from it.

Handlebars.js applies these to its syntax tree; here they are applied to the flat
list of text and tags, which gives the same output. One deliberate difference: in an
``{{else if}}`` chain, Handlebars.js judges the closing ``{{/if}}`` by the text of the
chain's first ``{{else}}`` branch instead of its own line, and keeps that line's
indentation; here the closing tag is judged by its own line, like every other tag.
"""

from __future__ import annotations

import re
from typing import Final

from fluent_ai.templates.engines.handlebars_scan import Piece, Tag

_STANDALONE: Final = frozenset({"open", "inverse", "else", "close", "comment", "raw"})
_LINE_BREAK = re.compile(r"[ \t]*\r?\n?")


def control_whitespace(pieces: list[Piece]) -> list[Piece]:
    """``pieces`` with the whitespace that ``~`` marks and standalone tags remove."""
    texts = {index: piece for index, piece in enumerate(pieces) if isinstance(piece, str)}
    for index, piece in enumerate(pieces):
        if isinstance(piece, str):
            continue
        before, after = index - 1, index + 1
        if piece.strip_before and before in texts:
            texts[before] = texts[before].rstrip()
        if piece.strip_after and after in texts:
            texts[after] = texts[after].lstrip()
        if piece.kind in _STANDALONE and _alone_on_line(pieces, index):
            if before in texts:
                texts[before] = texts[before].rstrip(" \t")
            if after in texts:
                texts[after] = _LINE_BREAK.sub("", texts[after], count=1)
    kept = (texts.get(index, piece) for index, piece in enumerate(pieces))
    return [piece for piece in kept if piece != ""]


def _alone_on_line(pieces: list[Piece], index: int) -> bool:
    """Whether the tag at ``index`` has only whitespace before and after it on its line.

    The start and the end of the template count as line breaks, as in Handlebars.js.
    """
    if index > 0:
        before = pieces[index - 1]
        if isinstance(before, Tag) or not _blank_before(before, at_start=index == 1):
            return False
    if index + 1 < len(pieces):
        after = pieces[index + 1]
        at_end = index + 2 == len(pieces)
        if isinstance(after, Tag) or not _blank_after(after, at_end=at_end):
            return False
    return True


def _blank_before(text: str, *, at_start: bool) -> bool:
    """Whether ``text`` ends with a line break and then only whitespace."""
    trailing = text[len(text.rstrip()) :]
    return "\n" in trailing or (at_start and len(trailing) == len(text))


def _blank_after(text: str, *, at_end: bool) -> bool:
    """Whether ``text`` starts with only whitespace up to a line break."""
    rest = text.lstrip()
    return "\n" in text[: len(text) - len(rest)] or (at_end and not rest)
