"""What a template engine is to fluent-ai: something that compiles source into a renderer.

Engines keep their libraries to themselves: each module in this package imports its
library at the top, and nothing imports those modules until a template for that engine
is compiled, so ``import fluent_ai.templates`` loads neither Jinja nor Liquid (nor the
Handlebars engine, which is fluent-ai's own code).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

Renderer = Callable[[Mapping[str, Any]], str]
"""A compiled template: variables in, text out; raises ``TemplateError``."""


@runtime_checkable
class TemplateEngine(Protocol):
    """One template language behind fluent-ai's common interface.

    ``compile`` raises :class:`~fluent_ai.templates.errors.TemplateError` with the line
    and column of a syntax error; the renderer it returns raises the same error for
    anything that fails while rendering. ``add_filter`` makes a filter available to
    templates compiled afterwards, under ``name``, with the value being filtered as the
    function's first argument.
    """

    name: str

    def compile(self, source: str, name: str | None = None) -> Renderer:
        """Compile ``source``; ``name`` (a file name, say) is used in error messages."""
        ...

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Make ``function`` available to templates as the filter ``name``."""
        ...
