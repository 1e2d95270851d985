"""The tree a Handlebars template is parsed into, and that the renderer walks.

A template is a tuple of nodes: text (a plain ``str``), :class:`Output` for a
``{{tag}}`` and :class:`Block` for ``{{#block}}…{{/block}}``. Expressions inside tags
are values looked up by :class:`Path`, literal :class:`Constant` values and helper
:class:`Call` s. Nothing here is Python code: the tree is data, so no template text
can ever be executed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Path:
    """A value looked up by name: ``user.name``, ``this``, ``../title``, ``@index``.

    ``parts`` are the names to follow from the starting point, which is the current
    context, the context ``depth`` blocks out (one per ``../``), or, for ``@`` paths
    (``data``), the loop variables. ``scoped`` paths (written with ``this`` or ``./``)
    never name a block parameter.
    """

    parts: tuple[str, ...]
    depth: int = 0
    data: bool = False
    scoped: bool = False


@dataclass(frozen=True, slots=True)
class Constant:
    """A string, number, ``true``/``false`` or ``null`` written in the template."""

    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Call:
    """A helper (a registered filter) called with arguments: ``{{bullets items}}``.

    ``options`` are the ``key=value`` arguments, passed to the filter as keywords.
    """

    name: str
    arguments: tuple[Expression, ...]
    options: tuple[tuple[str, Expression], ...] = ()


Expression: TypeAlias = Path | Constant | Call


@dataclass(frozen=True, slots=True)
class Output:
    """A ``{{expression}}`` tag; ``escape`` is false for ``{{{raw}}}`` and ``{{&raw}}``.

    ``offset`` is where the tag starts in the source, so that a render error can say
    where it happened.
    """

    expression: Expression
    escape: bool
    offset: int


BlockKind: TypeAlias = Literal["if", "each", "with", "section"]
"""``#unless`` is an ``if`` with its two halves swapped; a ``section`` is a block named
after a variable, ``{{#user}}…{{/user}}``, which Handlebars runs as if, each or with
depending on the value."""


@dataclass(frozen=True, slots=True)
class Block:
    """A block: ``body`` is rendered for a true value (each item), ``inverse`` otherwise.

    ``inverse`` holds what follows ``{{else}}``; an ``{{else if …}}`` chain is a
    block nested alone in the inverse. ``names`` are the block parameters of
    ``as |item index|``. ``include_zero`` is ``#if``'s ``includeZero=true``.
    """

    kind: BlockKind
    value: Expression
    body: tuple[Node, ...]
    inverse: tuple[Node, ...]
    offset: int
    names: tuple[str, ...] = ()
    include_zero: bool = False


Node: TypeAlias = str | Output | Block

BLOCK_HELPERS: Final[Mapping[str, BlockKind]] = {
    "if": "if",
    "unless": "if",
    "each": "each",
    "with": "with",
}
"""The block helpers, ``{{#if …}}…{{/if}}``, and the kind of block each one makes."""
