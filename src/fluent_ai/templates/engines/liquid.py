"""Liquid templates, through python-liquid 2.

Liquid is safe for templates from untrusted sources by design: a template can read
keys of mappings and items of sequences, never attributes of Python objects, so there
is no path from a template to Python internals.

A variable that was not passed is false in ``{% if %}`` and an error anywhere else
(``FalsyStrictUndefined``), the same rule as the Jinja engine. Unknown filters are
reported when compiling, as Jinja does, rather than only when (and if) the line that
uses them renders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from liquid import BoundTemplate, Environment, FalsyStrictUndefined
from liquid.exceptions import LiquidError, UndefinedError

from fluent_ai.templates.engines.base import Renderer
from fluent_ai.templates.engines.liquid_position import error_offset
from fluent_ai.templates.errors import (
    TemplateError,
    UndefinedVariableError,
    closest_name,
    line_and_column,
)
from fluent_ai.templates.filters import Filter, builtin_filters


class LiquidEngine:
    """python-liquid 2 with strict, falsy undefined variables; the engine named ``"liquid"``."""

    name = "liquid"

    def __init__(self, filters: Mapping[str, Filter] | None = None) -> None:
        self.environment = Environment(undefined=FalsyStrictUndefined)
        for name, function in (builtin_filters() if filters is None else filters).items():
            self.environment.add_filter(name, function)

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Make ``function`` the filter ``name``."""
        self.environment.add_filter(name, function)

    def compile(self, source: str, name: str | None = None) -> Renderer:
        """Compile ``source``; a syntax error or unknown filter comes back with its place."""
        try:
            template = self.environment.from_string(source, name=name or "", path=name)
        except LiquidError as error:
            offset = error_offset(self.environment, source, error)
            raise self._error(str(error.message), source, name, offset) from error
        self._check_filters(template, source, name)

        def render(variables: Mapping[str, Any]) -> str:
            try:
                return template.render(**variables)
            except LiquidError as error:
                token = error.token
                offset = token.start_index if token is not None and token.source == source else -1
                found = self._error(str(error.message), source, name, offset)
                raise _as_undefined(found, error, variables) from error
            except Exception as error:
                raise self._error(str(error), source, name, None) from error

        return render

    def _check_filters(self, template: BoundTemplate, source: str, name: str | None) -> None:
        analysis = template.analyze(include_partials=False)
        for filter_name, spans in analysis.filters.items():
            if filter_name not in self.environment.filters:
                offset = min(span.index for span in spans)
                raise self._error(f"unknown filter '{filter_name}'", source, name, offset)

    def _error(
        self, detail: str, source: str, name: str | None, offset: int | None
    ) -> TemplateError:
        line = column = None
        if offset is not None and offset >= 0:
            line, column = line_and_column(source, offset)
        return TemplateError(detail, engine=self.name, source_name=name, line=line, column=column)


def _as_undefined(
    found: TemplateError, error: LiquidError, variables: Mapping[str, Any]
) -> TemplateError:
    """``found`` as an :class:`UndefinedVariableError` when a top-level variable is missing.

    Liquid's error points at the first word of the path that failed (``user`` in
    ``user.nme``): when that word was not given, it is the missing variable. A missing
    key deeper in a given value keeps Liquid's own message.
    """
    token = error.token
    if not isinstance(error, UndefinedError) or token is None or token.value in variables:
        return found
    return UndefinedVariableError(
        found.detail,
        variable=token.value,
        suggestion=closest_name(token.value, variables),
        engine=found.engine,
        source_name=found.source_name,
        line=found.line,
        column=found.column,
    )
