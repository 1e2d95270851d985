"""Handlebars templates, through pybars3.

Filters become Handlebars helpers, called the Handlebars way: ``{{bullets items}}``,
``{{truncate_tokens doc 500}}``, ``{{date now "%B %d"}}``. A helper shadows a variable
of the same name in Handlebars, so a filter given no value at all (``{{date}}``) reads
the variable of that name instead: a filter always needs a value, and this keeps the
default ``date`` variable and any variable named like a filter usable.

``{{value}}`` is not HTML-escaped unless the engine is made with ``html_escape=True``
(Handlebars.js calls this ``noEscape``); see
:mod:`~fluent_ai.templates.engines.handlebars_code` for why, and for how templates are
kept away from Python internals. A missing variable renders as nothing, as in every
Handlebars, and partials (``{{> name}}``) are not available: a template is one file.

Compile errors are placed by :mod:`~fluent_ai.templates.engines.handlebars_scan` where
the structure is wrong. Where the fault is inside a tag, pybars3 gives no usable
position, so each tag is compiled on its own, in order, and the first that fails is
the one reported; its column is that of the tag's ``{{``. Render errors carry no
position: the code pybars3 generates does not know its source lines.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from pybars import Compiler, PybarsError, Scope

from fluent_ai.templates.engines.base import Renderer
from fluent_ai.templates.engines.handlebars_code import TemplateFunction, UnsafeTemplateError, load
from fluent_ai.templates.engines.handlebars_scan import ScanError, Tag, scan
from fluent_ai.templates.errors import TemplateError, line_and_column
from fluent_ai.templates.filters import Filter, builtin_filters

# pybars3 keeps its code builder in class attributes, so no two compiles may overlap,
# whichever Compiler instance they use.
_COMPILE_LOCK = threading.Lock()
_COMPILER = Compiler()
_NEAR = re.compile(r"near (.*)$", re.DOTALL)


class HandlebarsEngine:
    """pybars3 with filters as helpers and no HTML escaping; the engine named ``"handlebars"``."""

    name = "handlebars"

    def __init__(
        self, filters: Mapping[str, Filter] | None = None, *, html_escape: bool = False
    ) -> None:
        self.html_escape = html_escape
        self.helpers: dict[str, Callable[..., Any]] = {}
        for name, function in (builtin_filters() if filters is None else filters).items():
            self.add_filter(name, function)

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Make ``function`` the helper ``name``, for templates compiled before or after."""
        self.helpers[name] = _as_helper(name, function)

    def compile(self, source: str, name: str | None = None) -> Renderer:
        """Compile ``source``; a syntax error comes back with its line and column."""
        filename = f"<handlebars {name or 'template'}>"
        try:
            tags = scan(source)
        except ScanError as error:
            raise self._error(error.message, source, name, error.offset) from error
        try:
            function = self._load(source, filename)
        except (PybarsError, UnsafeTemplateError) as error:
            offset = self._first_failing_tag(source, tags, filename)
            raise self._error(_describe(error), source, name, offset) from error
        helpers = self.helpers

        def render(variables: Mapping[str, Any]) -> str:
            try:
                return str(function(variables, helpers=helpers))
            except Exception as error:
                raise TemplateError(str(error), engine=self.name, source_name=name) from error

        return render

    def _load(self, source: str, filename: str) -> TemplateFunction:
        with _COMPILE_LOCK:
            code = _COMPILER.precompile(source)
        try:
            return load(code, filename, html_escape=self.html_escape)
        except (SyntaxError, ValueError) as error:
            raise UnsafeTemplateError(f"generated code does not compile: {error}") from error

    def _first_failing_tag(self, source: str, tags: list[Tag], filename: str) -> int | None:
        for tag in tags:
            text = source[tag.start : tag.end]
            if tag.kind == "open":
                text += f"{{{{/{tag.name}}}}}"
            elif tag.kind != "expression":
                continue
            try:
                self._load(text, filename)
            except (PybarsError, UnsafeTemplateError):
                return tag.start
        return None

    def _error(
        self, detail: str, source: str, name: str | None, offset: int | None
    ) -> TemplateError:
        line = column = None
        if offset is not None:
            line, column = line_and_column(source, offset)
        return TemplateError(detail, engine=self.name, source_name=name, line=line, column=column)


def _as_helper(name: str, function: Filter) -> Callable[..., Any]:
    def helper(this: Any, *args: Any, **kwargs: Any) -> Any:
        if not args and not kwargs:
            return this.get(name) if isinstance(this, Scope) else None
        return function(*args, **kwargs)

    return helper


def _describe(error: Exception) -> str:
    if isinstance(error, UnsafeTemplateError):
        return f"refused: template text escapes into the Python pybars3 generates ({error})"
    near = _NEAR.search(str(error))
    return f"cannot parse {near.group(1)!r}" if near else str(error)
