"""Rendering a parsed Handlebars template: a walk over its node tree.

Values are looked up, never run. A path follows keys of mappings, items of
sequences by index (``items.[0]``, or ``items.0``) and their ``length``, and the
public fields of dataclasses and pydantic models; nothing else is read from an
object, so a template cannot walk from a value to Python internals
(``{{user.[__class__]}}`` is a missing value, as is ``{{user.name}}`` on a plain
object). A missing value renders as nothing. Helpers are the registered filters,
called with the values of their arguments.

Block semantics are Handlebars.js's. ``#if`` is false for a missing value, ``false``,
``0`` (unless ``includeZero=true``), ``""`` and an empty list or mapping; ``#with``
and ``#each`` skip to ``{{else}}`` on the same empty values, but not on ``0``. The
one departure: Handlebars.js counts an empty object as true, where here an empty
mapping is as empty as an empty list, as in Python. ``{{this}}`` and ``../`` follow
the context each block enters (``#each`` its items, ``#with`` its value; ``#if``
none), and ``@index``, ``@key``, ``@first``, ``@last`` and ``@root`` are the data
variables, ``@../index`` those of the enclosing loop.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from fluent_ai.templates.engines.handlebars_nodes import (
    Block,
    Call,
    Constant,
    Expression,
    Node,
    Output,
    Path,
)

_INDEX = re.compile(r"0|[1-9][0-9]*")
_HTML = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        "`": "&#x60;",
        "=": "&#x3D;",
    }
)
_TEXTS = (str, bytes, bytearray)


class RenderError(Exception):
    """Evaluating the tag at ``offset`` failed; the exception that did is the cause."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"rendering the tag at offset {offset} failed")
        self.offset = offset


class TreeRenderer:
    """Renders one parsed template; it keeps no state between calls.

    ``helpers`` is read at each call, so a filter added to it later is seen.
    ``html_escape`` escapes ``{{value}}`` (not ``{{{value}}}``) as Handlebars.js does.
    """

    def __init__(
        self,
        nodes: tuple[Node, ...],
        helpers: Mapping[str, Callable[..., Any]],
        *,
        html_escape: bool,
    ) -> None:
        self.nodes = nodes
        self.helpers = helpers
        self.html_escape = html_escape

    def __call__(self, variables: Mapping[str, Any]) -> str:
        """The text of the template for ``variables``; raises :class:`RenderError`."""
        out: list[str] = []
        self._render(self.nodes, _Scope((variables,), ({"root": variables},), {}), out)
        return "".join(out)

    def _render(self, nodes: tuple[Node, ...], scope: _Scope, out: list[str]) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, Output):
                try:
                    text = _text(self._evaluate(node.expression, scope))
                except Exception as error:
                    raise RenderError(node.offset) from error
                out.append(text.translate(_HTML) if node.escape and self.html_escape else text)
            else:
                try:
                    scopes = self._scopes(node, self._evaluate(node.value, scope), scope)
                except Exception as error:
                    raise RenderError(node.offset) from error
                for inner in scopes:
                    self._render(node.body, inner, out)
                if not scopes:
                    self._render(node.inverse, scope, out)

    def _evaluate(self, expression: Expression, scope: _Scope) -> Any:
        if isinstance(expression, Path):
            return _look_up(expression, scope)
        if isinstance(expression, Constant):
            return expression.value
        return self._call(expression, scope)

    def _call(self, call: Call, scope: _Scope) -> Any:
        arguments = [self._evaluate(argument, scope) for argument in call.arguments]
        options = {key: self._evaluate(value, scope) for key, value in call.options}
        return self.helpers[call.name](*arguments, **options)

    def _scopes(self, block: Block, value: Any, scope: _Scope) -> list[_Scope]:
        """The scopes the block's body renders in, one per run; none means its inverse."""
        if block.kind == "if":
            return [scope] if _condition(value, block.include_zero) else []
        if block.kind == "with":
            return [] if _is_empty(value) else [scope.enter(value, block.names, (value,))]
        if block.kind == "each":
            return scope.iterate(_items(value), block.names)
        # A section runs once for true, per item for a list, in the value for the rest.
        if value is True:
            return [scope]
        if value is None or value is False:
            return []
        if isinstance(value, Sequence) and not isinstance(value, _TEXTS):
            return scope.iterate(list(enumerate(value)), ())
        return [scope.enter(value)]


@dataclass(frozen=True, slots=True)
class _Scope:
    """What names mean in one part of the template.

    ``contexts`` starts with ``this`` and goes out one enclosing context per ``../``;
    ``data`` are the ``@`` variables, innermost loop first; ``parameters`` are the
    block parameters in force.
    """

    contexts: tuple[Any, ...]
    data: tuple[Mapping[str, Any], ...]
    parameters: Mapping[str, Any]

    def enter(
        self,
        context: Any,
        names: tuple[str, ...] = (),
        values: tuple[Any, ...] = (),
        loop: Mapping[str, Any] | None = None,
    ) -> _Scope:
        """The scope inside a block that makes ``context`` its ``this``.

        As in Handlebars.js, ``../`` skips a block whose context is the same object.
        """
        contexts = self.contexts
        if context is not contexts[0]:
            contexts = (context, *contexts)
        parameters = self.parameters
        if names:
            parameters = {**parameters, **dict(zip(names, values, strict=False))}
        data = ({**self.data[0], **loop}, *self.data) if loop else self.data
        return _Scope(contexts, data, parameters)

    def iterate(self, items: list[tuple[Any, Any]], names: tuple[str, ...]) -> list[_Scope]:
        """One scope per ``(key, item)``, with ``@index``, ``@key``, ``@first``, ``@last``."""
        last = len(items) - 1
        return [
            self.enter(
                item,
                names,
                (item, key),
                {"index": index, "key": key, "first": index == 0, "last": index == last},
            )
            for index, (key, item) in enumerate(items)
        ]


def _look_up(path: Path, scope: _Scope) -> Any:
    parts = path.parts
    if path.data:
        if path.depth >= len(scope.data):
            return None
        value = scope.data[path.depth].get(parts[0])
        parts = parts[1:]
    elif parts and not (path.depth or path.scoped) and parts[0] in scope.parameters:
        value = scope.parameters[parts[0]]
        parts = parts[1:]
    elif path.depth < len(scope.contexts):
        value = scope.contexts[path.depth]
    else:
        return None
    for part in parts:
        if value is None:
            return None
        value = _member(value, part)
    return value


def _member(value: Any, name: str) -> Any:
    """``value.name`` as a template may read it, or ``None``."""
    if isinstance(value, Mapping):
        return value.get(name)
    if isinstance(value, Sequence):
        if name == "length":
            return len(value)
        if _INDEX.fullmatch(name) and int(name) < len(value):
            return value[int(name)]
        return None
    fields = _field_names(value)
    return getattr(value, name) if name in fields and not name.startswith("_") else None


def _field_names(value: Any) -> Collection[str]:
    """The declared fields of a dataclass instance or pydantic model, else none."""
    if isinstance(value, BaseModel):
        return type(value).model_fields
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [field.name for field in dataclasses.fields(value)]
    return ()


def _items(value: Any) -> list[tuple[Any, Any]]:
    """What ``#each`` goes over, as ``(key, item)``: keys of a mapping, else indexes."""
    if isinstance(value, Mapping):
        return list(value.items())
    fields = _field_names(value)
    if fields:
        return [(name, getattr(value, name)) for name in fields if not name.startswith("_")]
    if isinstance(value, Iterable) and not isinstance(value, _TEXTS):
        return list(enumerate(value))
    return []


def _is_empty(value: Any) -> bool:
    """Handlebars.js's ``isEmpty``: nothing, false, ``""``, an empty collection; not ``0``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return False
    return not value


def _condition(value: Any, include_zero: bool) -> bool:
    """Whether ``#if`` takes its first half: not empty, and not zero unless included."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return include_zero or value != 0
    return not _is_empty(value)


def _text(value: Any) -> str:
    """A value as the template prints it: nothing for ``None``, ``true``/``false``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
