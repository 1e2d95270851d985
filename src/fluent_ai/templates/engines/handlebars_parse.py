"""Building the node tree of a Handlebars template from its text and tags.

This is where blocks are paired: each ``{{/name}}`` must close the innermost open
block, with the same name, each block has at most one ``{{else}}``, and every block is
closed by the end. ``{{else if …}}`` opens a block inside the first one's ``{{else}}``
half that ends at the same closing tag. A fault is reported at the tag that makes
it: the stray or mismatched closing tag, the ``{{else}}``, the opening tag of a block
never closed, or the tag whose expression cannot be read.

The block helpers are Handlebars.js's: ``#if`` and ``#unless`` (with
``includeZero=true``), ``#each`` (``as |item index|``) and ``#with`` (``as |value|``).
A block named after a variable with no arguments, ``{{#user}}…{{/user}}``, is a
Mustache-style section, and ``{{^name}}`` swaps a block's two halves.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

from fluent_ai.templates.engines.handlebars_expression import (
    Invocation,
    read_invocation,
    read_value,
)
from fluent_ai.templates.engines.handlebars_nodes import (
    BLOCK_HELPERS,
    Block,
    BlockKind,
    Constant,
    Expression,
    Node,
    Output,
)
from fluent_ai.templates.engines.handlebars_scan import HandlebarsSyntaxError, Tag, scan
from fluent_ai.templates.engines.handlebars_whitespace import control_whitespace
from fluent_ai.templates.errors import line_and_column

_PARAMETERS = {"each": 2, "with": 1}  # how many block parameters each helper names


def parse(source: str, helpers: Container[str]) -> tuple[Node, ...]:
    """The nodes of ``source``; a fault raises :class:`HandlebarsSyntaxError`.

    ``helpers`` are the names that may be called with arguments.
    """
    return _Parser(source, helpers).parse()


@dataclass(frozen=True, slots=True)
class _Head:
    """What a block's opening tag says, checked."""

    kind: BlockKind
    value: Expression
    names: tuple[str, ...]
    include_zero: bool
    swapped: bool  # #unless, or a {{^…}} block: the two halves trade places


@dataclass(slots=True)
class _OpenBlock:
    """A block whose closing tag has not been read yet."""

    label: str  # "{{#if}}", as errors name the block
    name: str  # what the closing tag must repeat
    opened_at: int  # the offset of the {{#…}} or {{^…}} tag
    head: _Head
    offset: int  # this block's own tag: the opener, or an {{else if …}}
    chained: bool  # opened by {{else if …}}: closed with the block before it
    body: list[Node] = field(default_factory=list)
    inverse: list[Node] | None = None

    def block(self) -> Block:
        halves = (tuple(self.body), tuple(self.inverse or ()))
        body, inverse = halves[::-1] if self.head.swapped else halves
        head = self.head
        return Block(
            head.kind, head.value, body, inverse, self.offset, head.names, head.include_zero
        )


class _Parser:
    """Reads the pieces in order, keeping the blocks still open on a stack."""

    def __init__(self, source: str, helpers: Container[str]) -> None:
        self.source = source
        self.helpers = helpers
        self.root: list[Node] = []
        self.open: list[_OpenBlock] = []

    def parse(self) -> tuple[Node, ...]:
        for piece in control_whitespace(scan(self.source)):
            if isinstance(piece, str):
                self.nodes().append(piece)
            elif piece.kind in ("output", "unescaped"):
                value = read_value(piece, self.source, self.helpers)
                self.nodes().append(Output(value, piece.kind == "output", piece.start))
            elif piece.kind in ("open", "inverse"):
                self.open_block(piece)
            elif piece.kind == "else":
                self.otherwise(piece)
            elif piece.kind == "close":
                self.close(piece)
            # comments and the tags around raw blocks leave no node
        if self.open:
            block = self.open[-1]
            raise HandlebarsSyntaxError(f"{block.label} is never closed", block.opened_at)
        return tuple(self.root)

    def nodes(self) -> list[Node]:
        """Where the next node goes: the open half of the innermost block, or the root."""
        if not self.open:
            return self.root
        block = self.open[-1]
        return block.body if block.inverse is None else block.inverse

    def open_block(self, tag: Tag) -> None:
        inverted = tag.kind == "inverse"
        invocation = read_invocation(tag, self.source, self.helpers)
        label = f"{{{{{'^' if inverted else '#'}{invocation.name}}}}}"
        head = self.head(tag, invocation, inverted)
        self.open.append(_OpenBlock(label, invocation.name, tag.start, head, tag.start, False))

    def otherwise(self, tag: Tag) -> None:
        if not self.open:
            raise HandlebarsSyntaxError("{{else}} outside a block", tag.start)
        block = self.open[-1]
        if block.inverse is not None:
            opened = self.where(block.opened_at)
            message = f"a second {{{{else}}}} in {block.label} opened at {opened}"
            raise HandlebarsSyntaxError(message, tag.start)
        block.inverse = []
        if tag.body:  # {{else if …}}: a block of its own, closed by this block's closing tag
            head = self.head(tag, read_invocation(tag, self.source, self.helpers), False)
            chained = _OpenBlock(block.label, block.name, block.opened_at, head, tag.start, True)
            self.open.append(chained)

    def close(self, tag: Tag) -> None:
        name = tag.body.strip()
        if not self.open:
            raise HandlebarsSyntaxError(f"{{{{/{name}}}}} closes no open block", tag.start)
        block = self.open[-1]
        if name != block.name:
            opened = self.where(block.opened_at)
            message = f"{{{{/{name}}}}} does not close {block.label} opened at {opened}"
            raise HandlebarsSyntaxError(message, tag.start)
        while True:
            block = self.open.pop()
            self.nodes().append(block.block())
            if not block.chained:
                return

    def head(self, tag: Tag, invocation: Invocation, inverted: bool) -> _Head:
        """What an opening (or ``{{else if}}``) tag means, once checked."""
        helper = invocation.helper or ""
        kind = BLOCK_HELPERS.get(helper)
        if kind is None:
            if invocation.arguments or invocation.options:
                blocks = "blocks are #if, #unless, #each and #with"
                raise self.fault(tag, f"unknown block helper {invocation.name!r} ({blocks})")
            if invocation.names:
                raise self.fault(tag, "block parameters (as |name|) need #each or #with")
            return _Head("section", invocation.head, (), False, inverted)
        if len(invocation.arguments) != 1:
            raise self.fault(tag, f"#{helper} takes one value")
        if len(invocation.names) > _PARAMETERS.get(helper, 0):
            raise self.fault(tag, f"too many block parameters for #{helper}")
        include_zero = self.include_zero(tag, helper, invocation)
        swapped = (helper == "unless") != inverted
        return _Head(kind, invocation.arguments[0], invocation.names, include_zero, swapped)

    def include_zero(self, tag: Tag, helper: str, invocation: Invocation) -> bool:
        """The ``includeZero=true`` option of ``#if`` and ``#unless``, the only option."""
        include_zero = False
        for key, value in invocation.options:
            if key != "includeZero" or BLOCK_HELPERS[helper] != "if":
                raise self.fault(tag, f"#{helper} has no option {key!r}")
            if not (isinstance(value, Constant) and isinstance(value.value, bool)):
                raise self.fault(tag, "includeZero is true or false")
            include_zero = value.value
        return include_zero

    def fault(self, tag: Tag, reason: str) -> HandlebarsSyntaxError:
        return HandlebarsSyntaxError(f"{reason} in {self.source[tag.start : tag.end]!r}", tag.start)

    def where(self, offset: int) -> str:
        line, column = line_and_column(self.source, offset)
        return f"{line}:{column}"
