"""A structural pass over Handlebars source, run before pybars3 sees it.

pybars3 0.9.7 is a poor judge of broken templates. Its parse error reads "Error at
character C of line L near W", where L is the number of lines in the whole template,
not the failing one, and C is counted after its whitespace control has rewritten the
source. Worse, a block that is never closed (``{{#if x}}...`` with no ``{{/if}}``) or
a tag with no ``}}`` is not an error at all: everything from there on is silently
dropped from the output.

This pass walks the ``{{ }}`` tags of the original source, pairs block openers with
their closers, and reports an unclosed tag, an unclosed or mismatched block, or an
``{{else}}`` outside a block at the exact offset of the offending tag. It reads tags
the way pybars3's grammar does (string arguments and ``[segment]`` paths may contain
``}}``; comments end at the first ``}}``; ``{{{{raw}}}}`` blocks hold literal text), and
leaves everything else about a tag to pybars3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fluent_ai.templates.errors import line_and_column

TagKind = Literal["open", "close", "else", "comment", "raw", "expression"]


@dataclass(frozen=True, slots=True)
class Tag:
    """One ``{{ }}`` tag: where it starts and ends in the source, and what it is.

    ``name`` is the block's name for ``open`` and ``close`` tags, and empty otherwise.
    """

    start: int
    end: int
    kind: TagKind
    name: str = ""


class ScanError(Exception):
    """The source is not well-formed Handlebars; ``offset`` is where the fault is."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def scan(source: str) -> list[Tag]:
    """Every tag of ``source`` in order; raises :class:`ScanError` on a structural fault."""
    tags: list[Tag] = []
    open_blocks: list[Tag] = []
    position = 0
    while (start := source.find("{{", position)) >= 0:
        tag = _read_tag(source, start)
        position = tag.end
        tags.append(tag)
        if tag.kind == "open":
            open_blocks.append(tag)
        elif tag.kind == "close":
            if not open_blocks:
                raise ScanError(f"{{{{/{tag.name}}}}} closes no open block", tag.start)
            opened = open_blocks.pop()
            if opened.name != tag.name:
                line, column = line_and_column(source, opened.start)
                raise ScanError(
                    f"{{{{/{tag.name}}}}} does not close {{{{#{opened.name}}}}}"
                    f" opened at {line}:{column}",
                    tag.start,
                )
        elif tag.kind == "else" and not open_blocks:
            raise ScanError("{{else}} outside a block", tag.start)
    if open_blocks:
        opened = open_blocks[-1]
        raise ScanError(f"{{{{#{opened.name}}}}} is never closed", opened.start)
    return tags


def _read_tag(source: str, start: int) -> Tag:
    if source.startswith("{{{{", start):
        return _read_raw_block(source, start)
    if source.startswith("{{{", start):
        return Tag(start, _tag_end(source, start, start + 3, "}}}"), "expression")
    inner = start + 3 if source.startswith("~", start + 2) else start + 2
    if source.startswith("!", inner):
        end = source.find("}}", inner)
        if end < 0:
            raise ScanError("comment {{! is never closed", start)
        return Tag(start, end + 2, "comment")
    end = _tag_end(source, start, inner, "}}")
    body = source[inner : end - 2].removesuffix("~")
    words = body.strip().split()
    if body.startswith(("#", "^")) and body.strip() != "^":
        return Tag(start, end, "open", (body[1:].split() or [""])[0])
    if body.startswith("/"):
        return Tag(start, end, "close", body[1:])
    if words in (["else"], ["^"]):
        return Tag(start, end, "else")
    return Tag(start, end, "expression")


def _read_raw_block(source: str, start: int) -> Tag:
    head_end = source.find("}}}}", start)
    if head_end < 0:
        raise ScanError("{{{{ is never closed", start)
    name = (source[start + 4 : head_end].split() or [""])[0]
    closing = f"{{{{{{{{/{name}}}}}}}}}"
    close_at = source.find(closing, head_end)
    if close_at < 0:
        raise ScanError(f"raw block {{{{{{{{{name}}}}}}}}} is never closed", start)
    return Tag(start, close_at + len(closing), "raw", name)


def _tag_end(source: str, start: int, position: int, closer: str) -> int:
    """The offset just past ``closer``, skipping string arguments and ``[...]`` segments."""
    quote = ""
    in_segment = False
    index = position
    while index < len(source):
        char = source[index]
        if quote:
            if char == "\\" and source.startswith(quote, index + 1):
                index += 1  # pybars reads \" (or \') inside a string as an escaped quote
            elif char == quote:
                quote = ""
        elif in_segment:
            in_segment = char != "]"
        elif source.startswith(closer, index):
            return index + len(closer)
        elif char in "\"'":
            quote = char
        elif char == "[":
            in_segment = True
        index += 1
    raise ScanError(f"{source[start:position]} is never closed", start)
