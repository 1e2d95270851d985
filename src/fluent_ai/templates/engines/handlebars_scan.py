"""Splitting Handlebars source into text and tags, the first step of compiling it.

The scan finds every ``{{ }}`` tag the way Handlebars.js's lexer does: string
arguments and ``[segment]`` paths may contain ``}}``; ``{{! comment }}`` ends at the
first ``}}`` and ``{{!-- comment --}}`` at the first ``--}}``; ``\\{{`` is a literal
``{{`` and ``\\\\{{`` a backslash before a real tag; ``{{{{raw}}}} … {{{{/raw}}}}``
keeps its content as text. It reads each tag's kind and its ``~`` marks, and leaves
the expression inside to :mod:`~fluent_ai.templates.engines.handlebars_expression`.

Every fault is a :class:`HandlebarsSyntaxError` at the offset of the ``{{`` of the
tag it is about, which the engine turns into a line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

TagKind: TypeAlias = Literal[
    "output", "unescaped", "open", "inverse", "else", "close", "comment", "raw"
]
"""``{{x}}``, ``{{{x}}}`` or ``{{&x}}``, ``{{#x}}``, ``{{^x}}``, ``{{else}}`` or ``{{^}}``
(with an expression for ``{{else if x}}``), ``{{/x}}``, comments, and the two tags
around a raw block."""

# What follows "{{" (and "~") to say a tag's kind; a plain output has none.
_MARK = re.compile(r"\{|&|!--|!|#>|#\*|#|/|\^|>|\*|\s*else\b")
# A tag's inside, up to "}}": strings and [segments] may hold braces, "{{" may not.
_BODY = re.compile(
    r"""(?:[^{}"'\[]+|"(?:\\"|[^"])*"|'(?:\\'|[^'])*'|\[(?:\\]|[^\]])*]|\{(?!\{)|}(?!}))+"""
)
_COMMENT_END = re.compile(r"--(~?)}}")
_KINDS: dict[str, TagKind] = {
    "": "output",
    "{": "unescaped",
    "&": "unescaped",
    "#": "open",
    "^": "inverse",
    "/": "close",
}


@dataclass(frozen=True, slots=True)
class Tag:
    """One tag: its kind, the expression inside it, and where it is in the source.

    ``body`` is the text between the tag's opening mark (``{{#``, ``{{else``, …) and
    its closing braces, ``~`` marks left out. ``strip_before`` and ``strip_after``
    are the ``{{~`` and ``~}}`` marks.
    """

    kind: TagKind
    body: str
    start: int
    end: int
    strip_before: bool = False
    strip_after: bool = False


Piece: TypeAlias = str | Tag
"""Text (never empty, never two in a row) or a tag."""


class HandlebarsSyntaxError(Exception):
    """The source is not a template this engine reads; ``offset`` is the faulty tag."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def scan(source: str) -> list[Piece]:
    """The text and tags of ``source``, in order."""
    pieces: list[Piece] = []
    text: list[str] = []  # text read since the last tag, escapes applied
    position = 0  # the first character not yet in ``text`` or a tag
    search = 0  # where to look for the next "{{" (past an escaped one)
    while (start := source.find("{{", search)) >= 0:
        backslashes = _backslashes(source, start, position)
        if backslashes == 1:  # "\{{" is a literal "{{": drop the backslash, read on
            text.append(source[position : start - 1])
            position, search = start, start + 2
            continue
        text.append(source[position : start - backslashes // 2])  # "\\{{" keeps one
        _add_text(pieces, text)
        if source.startswith("{{{{", start):
            opening, content, closing = _raw_block(source, start)
            pieces.extend((opening, content, closing) if content else (opening, closing))
            position = search = closing.end
        else:
            tag = _read_tag(source, start)
            pieces.append(tag)
            position = search = tag.end
    text.append(source[position:])
    _add_text(pieces, text)
    return pieces


def _backslashes(source: str, start: int, position: int) -> int:
    """How many backslashes before the "{{" at ``start`` count: 0, 1, or 2 for two or more."""
    if start - 1 < position or source[start - 1] != "\\":
        return 0
    if start - 2 >= position and source[start - 2] == "\\":
        return 2
    return 1


def _add_text(pieces: list[Piece], text: list[str]) -> None:
    joined = "".join(text)
    text.clear()
    if joined:
        pieces.append(joined)


def _read_tag(source: str, start: int) -> Tag:
    strip_before = source.startswith("~", start + 2)
    inner = start + 2 + strip_before
    mark = _MARK.match(source, inner)
    marker = mark.group().lstrip() if mark else ""
    inner = mark.end() if mark else inner
    if marker in (">", "#>"):
        raise HandlebarsSyntaxError("partials ({{> name}}) are not supported", start)
    if marker in ("*", "#*"):
        raise HandlebarsSyntaxError("decorators ({{* name}}) are not supported", start)
    if marker == "!--":
        # Handlebars.js reads "{{!--}}" as a whole comment, so the end may overlap "!--".
        closing = _COMMENT_END.search(source, inner - 2)
        if closing is None:
            raise HandlebarsSyntaxError("{{!-- comment is never closed with --}}", start)
        body = source[inner : max(inner, closing.start())]
        return Tag("comment", body, start, closing.end(), strip_before, closing.group(1) == "~")
    if marker == "!":
        close = source.find("}}", inner)
        if close < 0:
            raise HandlebarsSyntaxError("{{! comment is never closed", start)
        strip_after = close > inner and source[close - 1] == "~"
        return Tag("comment", source[inner:close], start, close + 2, strip_before, strip_after)
    stop = inside.end() if (inside := _BODY.match(source, inner)) else inner
    if not source.startswith("}}", stop):
        raise _never_closed(source, start, inner, stop)
    body, end = source[inner:stop], stop + 2
    if marker == "{":
        if body.endswith("}~"):
            return Tag("unescaped", body[:-2], start, end, strip_before, strip_after=True)
        if not source.startswith("}}}", stop):
            raise HandlebarsSyntaxError("{{{ must be closed with }}}", start)
        return Tag("unescaped", body, start, end + 1, strip_before)
    strip_after = body.endswith("~")
    body = body[:-1] if strip_after else body
    if marker == "else" or (marker == "^" and not body.strip()):
        return Tag("else", body.strip(), start, end, strip_before, strip_after)
    return Tag(_KINDS[marker], body, start, end, strip_before, strip_after)


def _never_closed(source: str, start: int, inner: int, stop: int) -> HandlebarsSyntaxError:
    opening = source[start:inner].rstrip()
    reason = ""
    if source.startswith(('"', "'"), stop):
        reason = ": a string in it has no closing quote"
    elif source.startswith("[", stop):
        reason = ": a [ in it has no closing ]"
    return HandlebarsSyntaxError(f"{opening} is never closed{reason}", start)


def _raw_block(source: str, start: int) -> tuple[Tag, str, Tag]:
    """``{{{{name}}}} content {{{{/name}}}}``: the two tags, and the content as text."""
    head_end = source.find("}}}}", start)
    if head_end < 0:
        raise HandlebarsSyntaxError("{{{{ is never closed", start)
    name = (source[start + 4 : head_end].split() or [""])[0]
    if not name or name.startswith("/"):
        raise HandlebarsSyntaxError("a raw block opens with {{{{name}}}}", start)
    closing = f"{{{{{{{{/{name}}}}}}}}}"
    close_at = source.find(closing, head_end)
    if close_at < 0:
        raise HandlebarsSyntaxError(f"raw block {{{{{{{{{name}}}}}}}}} is never closed", start)
    content = source[head_end + 4 : close_at]
    return (
        Tag("raw", name, start, head_end + 4),
        content,
        Tag("raw", name, close_at, close_at + len(closing)),
    )
