"""The column of a Jinja syntax error, which Jinja itself does not report.

Jinja's errors carry a line number only: its tokens know their line, not their offset.
Only when compiling has already failed, this module lexes and parses the source again,
following each raw token to its offset in the source, and reads where the parser
stopped: the token it could not accept, or the text the lexer could not read. Errors
found after parsing (an unknown filter or test) come from the code generator, which
knows only the line; for those the column is that of the name the message quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jinja2 import Environment, TemplateSyntaxError
from jinja2.lexer import Token, TokenStream
from jinja2.parser import Parser

from fluent_ai.templates.errors import line_and_column

_QUOTED = re.compile(r"'([^']+)'")


def error_column(environment: Environment, source: str, error: TemplateSyntaxError) -> int | None:
    """The 1-based column of ``error`` on its line, or ``None`` when it cannot be placed."""
    # Jinja lexes with every line ending turned into "\n"; columns are unchanged by that.
    text = re.sub(r"\r\n?", "\n", source)
    offset = _failing_offset(environment, text)
    if offset is not None:
        line, column = line_and_column(text, offset)
        if line == error.lineno:
            return column
    return _quoted_name_column(text, error)


class _RawTokens:
    """Passes the lexer's tokens through, noting where each one starts in the source."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.last_start = 0
        self.cursor = 0
        self.failed_at: int | None = None

    def follow(self, tokens: Iterable[tuple[int, str, str]]) -> Iterator[tuple[int, str, str]]:
        iterator = iter(tokens)
        while True:
            try:
                lineno, kind, value = next(iterator)
            except StopIteration:
                return
            except TemplateSyntaxError:
                self.failed_at = self.cursor
                raise
            start = self.text.find(value, self.cursor) if value else -1
            if start >= 0:
                self.last_start, self.cursor = start, start + len(value)
            yield lineno, kind, value


def _failing_offset(environment: Environment, text: str) -> int | None:
    raw = _RawTokens(text)
    starts: dict[int, int] = {}

    def tokens() -> Iterator[Token]:
        lexer = environment.lexer
        for token in lexer.wrap(raw.follow(lexer.tokeniter(text, None))):
            starts[id(token)] = raw.last_start
            yield token

    parser = Parser(environment, "")
    try:
        # The stream reads its first token at once, so the lexer may fail already here.
        parser.stream = TokenStream(tokens(), None, None)
        parser.parse()
    except TemplateSyntaxError:
        if raw.failed_at is not None:
            return raw.failed_at
        return starts.get(id(parser.stream.current), raw.cursor)
    return None


def _quoted_name_column(text: str, error: TemplateSyntaxError) -> int | None:
    quoted = _QUOTED.search(error.message or "")
    lines = text.split("\n")
    if quoted is None or not 1 <= error.lineno <= len(lines):
        return None
    name = re.search(rf"\b{re.escape(quoted.group(1))}\b", lines[error.lineno - 1])
    return name.start() + 1 if name else None
