"""Reading the expression inside a Handlebars tag into nodes.

A tag holds a value, or a helper and its arguments::

    {{user.name}}  {{../title}}  {{@index}}  {{this}}  {{items.[0]}}
    {{bullets items}}  {{date now "%B %d"}}  {{json data indent=2}}
    {{truncate_tokens (json data) 500}}  {{#each items as |item index|}}

Arguments are paths, strings (``"…"`` or ``'…'``), numbers, ``true``/``false``,
``null``/``undefined`` and ``(subexpressions)``, then ``key=value`` options. Tokens
are those of Handlebars.js: a name is any run of characters other than whitespace
and ``!"#%&'()*+,./;<=>@[\\]^`{|}~``, and ``[…]`` is a literal path segment that may
hold any of them.

A head followed by nothing is a value, never a helper call, even where a filter has
its name: a filter always needs something to filter, and this keeps ``{{date}}`` the
variable. With arguments, the head must name a registered filter; anything else is a
compile error, not a failure on the first render.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from fluent_ai.templates.engines.handlebars_nodes import (
    BLOCK_HELPERS,
    Call,
    Constant,
    Expression,
    Path,
)
from fluent_ai.templates.engines.handlebars_scan import HandlebarsSyntaxError, Tag

_SEGMENT = r"\[(?:\\]|[^\]])*]|\.\.|\.|[^\s!\"#%&'()*+,./;<=>@\[\\\]^`{|}~]+"
_END = r"(?=[\s)]|\Z)"
_TOKEN = re.compile(
    r"\s*(?:"
    r"""(?P<string>"(?:\\"|[^"])*"|'(?:\\'|[^'])*')"""
    rf"|(?P<number>-?[0-9]+(?:\.[0-9]+)?){_END}"
    rf"|(?P<keyword>true|false|null|undefined){_END}"
    r"|(?P<parameters>as\s+\|)"
    rf"|(?P<path>@?(?:{_SEGMENT})(?:[./](?:{_SEGMENT}))*)(?=[\s)=|]|\Z)"
    r"|(?P<mark>[()=|])"
    r")"
)
_SEGMENTS = re.compile(rf"({_SEGMENT})[./]?")
_SEGMENT_ESCAPE = re.compile(r"\\([\\\]])")
_KEYWORDS = {"true": True, "false": False, "null": None, "undefined": None}

Token = tuple[str, str]  # (kind, text)


@dataclass(frozen=True, slots=True)
class Invocation:
    """What a tag says: ``#each items as |item|`` is ``each``, ``(items,)``, ``(item,)``.

    ``name`` is the head as written, which a block's closing tag must repeat.
    """

    name: str
    head: Expression
    arguments: tuple[Expression, ...]
    options: tuple[tuple[str, Expression], ...]
    names: tuple[str, ...]

    @property
    def helper(self) -> str | None:
        """The head as a helper name, if it is a plain name."""
        head = self.head
        if isinstance(head, Path) and len(head.parts) == 1 and _plain(head):
            return head.parts[0]
        return None


def read_value(tag: Tag, source: str, helpers: Container[str]) -> Expression:
    """The value an output tag (``{{…}}``, ``{{{…}}}``) prints."""
    reader = _Reader(tag, source, helpers)
    invocation = reader.invocation(in_parentheses=False)
    if invocation.names:
        raise reader.fault("block parameters (as |name|) need #each or #with")
    return reader.value(invocation)


def read_invocation(tag: Tag, source: str, helpers: Container[str]) -> Invocation:
    """What a block tag (``{{#…}}``, ``{{^…}}``, ``{{else …}}``) says."""
    reader = _Reader(tag, source, helpers)
    first = reader.peek()
    if first is None or first[0] != "path":
        raise reader.fault("a block starts with a name, as in {{#if …}} or {{#items}}")
    return reader.invocation(in_parentheses=False)


class _Reader:
    """Reads one tag's tokens from left to right; every fault names the whole tag."""

    def __init__(self, tag: Tag, source: str, helpers: Container[str]) -> None:
        self.text = source[tag.start : tag.end]
        self.offset = tag.start
        self.helpers = helpers
        self.tokens = self._tokens(tag.body.strip())
        self.index = 0

    def fault(self, reason: str) -> HandlebarsSyntaxError:
        return HandlebarsSyntaxError(f"{reason} in {self.text!r}", self.offset)

    def _tokens(self, body: str) -> list[Token]:
        tokens: list[Token] = []
        position = 0
        while position < len(body):
            match = _TOKEN.match(body, position)
            if match is None or match.lastgroup is None:
                raise self.fault(f"unexpected {body[position:].lstrip()[:20]!r}")
            tokens.append((match.lastgroup, match.group(match.lastgroup)))
            position = match.end()
        return tokens

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.index + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.fault("a value is missing")
        self.index += 1
        return token

    def invocation(self, *, in_parentheses: bool) -> Invocation:
        """A head, its arguments, options and block parameters, up to ``)`` or the end."""
        kind, name = self.take()
        head = Path((_name(kind, name),)) if kind in _LITERALS else self.operand((kind, name))
        name = "(…)" if kind == "mark" else name
        arguments: list[Expression] = []
        options: list[tuple[str, Expression]] = []
        while (token := self.peek()) is not None and not _ends_arguments(token):
            if token[0] == "path" and self.peek(1) == ("mark", "="):
                self.index += 2
                options.append((self.plain_name(token[1], "an option"), self.operand(self.take())))
            elif options:
                raise self.fault(f"{token[1]!r} comes after key=value options")
            else:
                arguments.append(self.operand(self.take()))
        names: tuple[str, ...] = ()
        if in_parentheses:
            if token != ("mark", ")"):
                raise self.fault("a ( is never closed")
            self.index += 1
        else:
            if token is not None and token[0] == "parameters":
                names = self.block_parameters()
            if (token := self.peek()) is not None:
                raise self.fault(f"unexpected {token[1]!r}")
        return Invocation(name, head, tuple(arguments), tuple(options), names)

    def operand(self, token: Token) -> Expression:
        kind, text = token
        if kind in _LITERALS:
            return Constant(_literal(kind, text))
        if kind == "path":
            return self.path(text)
        if token == ("mark", "("):
            return self.value(self.invocation(in_parentheses=True))
        raise self.fault(f"unexpected {text!r}")

    def value(self, invocation: Invocation) -> Expression:
        """The invocation as a value: its head alone, or a call of the helper it names."""
        if not invocation.arguments and not invocation.options:
            return invocation.head
        helper = invocation.helper
        if helper in BLOCK_HELPERS:
            raise self.fault(f"{helper!r} is a block helper: write {{{{#{helper} …}}}}")
        if helper is None or helper not in self.helpers:
            name = helper or invocation.name
            raise self.fault(f"unknown helper {name!r} (helpers are the registered filters)")
        return Call(helper, invocation.arguments, invocation.options)

    def path(self, text: str) -> Path:
        data = text.startswith("@")
        parts: list[str] = []
        depth, scoped = 0, False
        for match in _SEGMENTS.finditer(text, int(data)):
            segment = match.group(1)
            if segment.startswith("["):
                parts.append(_SEGMENT_ESCAPE.sub(r"\1", segment[1:-1]))
            elif segment in ("..", ".", "this"):
                if parts:
                    raise self.fault(f"{segment!r} can only start a path, as in ../name")
                if segment == "..":
                    depth += 1
                else:
                    scoped = True
            else:
                parts.append(segment)
        if data and not parts:
            raise self.fault(f"{text!r} names no @variable")
        return Path(tuple(parts), depth, data, scoped)

    def plain_name(self, text: str, what: str) -> str:
        """``text`` as one plain name, which option and block parameter names must be."""
        path = self.path(text)
        if len(path.parts) != 1 or not _plain(path):
            raise self.fault(f"{text!r} cannot be {what} name")
        return path.parts[0]

    def block_parameters(self) -> tuple[str, ...]:
        self.index += 1  # "as |"
        names: list[str] = []
        while (token := self.take()) != ("mark", "|"):
            if token[0] != "path":
                raise self.fault(f"{token[1]!r} cannot be a block parameter name")
            names.append(self.plain_name(token[1], "a block parameter"))
        if not names:
            raise self.fault("as || names no block parameter")
        return tuple(names)


_LITERALS = frozenset({"string", "number", "keyword"})


def _ends_arguments(token: Token) -> bool:
    return token[0] == "parameters" or token in (("mark", ")"), ("mark", "|"))


def _plain(path: Path) -> bool:
    return not (path.depth or path.data or path.scoped)


def _literal(kind: str, text: str) -> str | int | float | bool | None:
    if kind == "string":
        quote = text[0]
        return text[1:-1].replace("\\" + quote, quote)
    if kind == "number":
        return float(text) if "." in text else int(text)
    return _KEYWORDS[text]


def _name(kind: str, text: str) -> str:
    """A literal in the head of a tag is a name, as in Handlebars.js: ``{{"my key"}}``."""
    return str(_literal(kind, text)) if kind == "string" else text
