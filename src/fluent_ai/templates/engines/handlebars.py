"""Handlebars templates, read and rendered by fluent-ai itself.

The engine is a scanner (:mod:`~fluent_ai.templates.engines.handlebars_scan`), the
whitespace rules (:mod:`~fluent_ai.templates.engines.handlebars_whitespace`), a
parser into a node tree (:mod:`~fluent_ai.templates.engines.handlebars_parse` and
:mod:`~fluent_ai.templates.engines.handlebars_expression`) and a renderer that walks
the tree (:mod:`~fluent_ai.templates.engines.handlebars_render`). No Python is
generated or run from template text, and values are read only from mappings,
sequences, dataclasses and pydantic models, so a template from an untrusted source
has no way to Python internals. Compiling is linear in the template's length.

Filters are the helpers, called the Handlebars way: ``{{bullets items}}``,
``{{truncate_tokens doc 500}}``, ``{{date now "%B %d"}}``. A tag with no arguments
is always a value, so ``{{date}}`` is the ``date`` variable even though a filter has
that name. ``{{value}}`` is not HTML-escaped unless the engine is made with
``html_escape=True``: a prompt is not a web page, and ``<tags>`` in it must reach the
model as written. A missing value renders as nothing, as in every Handlebars.
Partials (``{{> name}}``) and decorators are not available: a template is one file.

Every error carries the line and column of the tag it is about: the tag's ``{{`` for
a fault in the source, and for a failure while rendering (a filter that raises) the
tag whose value failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fluent_ai.templates.engines.base import Renderer
from fluent_ai.templates.engines.handlebars_parse import parse
from fluent_ai.templates.engines.handlebars_render import RenderError, TreeRenderer
from fluent_ai.templates.engines.handlebars_scan import HandlebarsSyntaxError
from fluent_ai.templates.errors import TemplateError, line_and_column
from fluent_ai.templates.filters import Filter, builtin_filters


class HandlebarsEngine:
    """fluent-ai's Handlebars, filters as helpers, no HTML escaping; the engine ``"handlebars"``."""

    name = "handlebars"

    def __init__(
        self, filters: Mapping[str, Filter] | None = None, *, html_escape: bool = False
    ) -> None:
        self.html_escape = html_escape
        self.helpers: dict[str, Callable[..., Any]] = dict(
            builtin_filters() if filters is None else filters
        )

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Make ``function`` the helper ``name``.

        Templates compiled before see a replaced helper too; one that calls a helper
        registered only now has to be compiled again, since unknown helpers are
        compile errors.
        """
        self.helpers[name] = function

    def compile(self, source: str, name: str | None = None) -> Renderer:
        """Compile ``source``; a syntax error comes back with its line and column."""
        try:
            nodes = parse(source, self.helpers)
        except HandlebarsSyntaxError as error:
            raise self._error(error.message, source, name, error.offset) from error
        template = TreeRenderer(nodes, self.helpers, html_escape=self.html_escape)

        def render(variables: Mapping[str, Any]) -> str:
            try:
                return template(variables)
            except RenderError as error:
                cause = error.__cause__ or error
                raise self._error(str(cause), source, name, error.offset) from cause

        return render

    def _error(self, detail: str, source: str, name: str | None, offset: int) -> TemplateError:
        line, column = line_and_column(source, offset)
        return TemplateError(detail, engine=self.name, source_name=name, line=line, column=column)
