"""Jinja templates, compiled in Jinja's immutable sandbox.

Prompts are often written by someone other than the program's author (a user, a
config file, a prompt library), so a template must not be able to reach Python
internals: ``{{ ''.__class__.__mro__ }}`` and ``{{ cycler.__init__.__globals__ }}``
fail with a ``TemplateError`` instead of walking to ``os.environ``. The immutable
sandbox also refuses to call methods that modify lists, dicts and sets passed in.

Whitespace follows Hugging Face chat templates (``trim_blocks`` and
``lstrip_blocks``): a ``{% tag %}`` alone on its line leaves no blank line behind.
A variable that was not passed is false in ``{% if %}`` and an error anywhere else,
so a typo in a prompt fails loudly instead of sending an empty string to a model.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, cast

from jinja2 import StrictUndefined, TemplateRuntimeError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from fluent_ai.templates.engines.base import Renderer
from fluent_ai.templates.engines.jinja_position import error_column
from fluent_ai.templates.errors import TemplateError, UndefinedVariableError, closest_name
from fluent_ai.templates.filters import Filter, builtin_filters

# The lexer ends some messages with an absolute offset ("unexpected char '?' at 8"),
# which reads as nonsense next to the line and column this engine reports.
_OFFSET_SUFFIX = re.compile(r" at \d+$")


class MissingValueError(UndefinedError):
    """Jinja's undefined error, plus the name that was missing and where it was looked up.

    ``owner`` is the object a missing attribute or item was asked of, or Jinja's
    ``missing`` marker for a top-level variable; the engine turns this into an
    :class:`UndefinedVariableError` with a suggestion.
    """

    def __init__(self, message: str | None = None, *, name: object, owner: object) -> None:
        super().__init__(message)
        self.name = name
        self.owner = owner


class PromptUndefined(StrictUndefined):
    """Missing variables: false in a condition, an error when printed or iterated."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = missing,
        name: str | None = None,
        exc: type[TemplateRuntimeError] = UndefinedError,
    ) -> None:
        if exc is UndefinedError:
            # Jinja raises ``exc(message)`` and nothing more; the partial also carries the
            # name and the object looked in, which the message alone does not.
            exc = cast(type[UndefinedError], partial(MissingValueError, name=name, owner=obj))
        super().__init__(hint, obj, name, exc)

    # StrictUndefined assigns its failing method to __bool__, typed as returning Never.
    def __bool__(self) -> bool:  # type: ignore[override]
        return False


class JinjaEngine:
    """Jinja 3 in an ``ImmutableSandboxedEnvironment``; the engine named ``"jinja"``."""

    name = "jinja"

    def __init__(self, filters: Mapping[str, Filter] | None = None) -> None:
        self.environment = ImmutableSandboxedEnvironment(
            undefined=PromptUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters.update(builtin_filters() if filters is None else filters)

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Make ``function`` the filter ``name`` for templates compiled from now on."""
        self.environment.filters[name] = function

    def compile(self, source: str, name: str | None = None) -> Renderer:
        """Compile ``source``; a syntax error comes back with its line and column."""
        filename = name or "<template>"
        try:
            code = self.environment.compile(source, name=name, filename=filename)
        except TemplateSyntaxError as error:
            raise TemplateError(
                _OFFSET_SUFFIX.sub("", error.message or str(error)),
                engine=self.name,
                source_name=name,
                line=error.lineno,
                column=error_column(self.environment, source, error),
            ) from error
        template = self.environment.template_class.from_code(
            self.environment, code, self.environment.make_globals(None)
        )

        def render(variables: Mapping[str, Any]) -> str:
            try:
                return template.render(variables)
            except MissingValueError as error:
                raise _undefined(error, variables, name, _line(error, filename)) from error
            except Exception as error:
                raise TemplateError(
                    str(error), engine=self.name, source_name=name, line=_line(error, filename)
                ) from error

        return render


def _undefined(
    error: MissingValueError, variables: Mapping[str, Any], name: str | None, line: int | None
) -> TemplateError:
    """The error for a missing value, naming it and the closest name that is there."""
    if not isinstance(error.name, str):  # a missing item by number: nothing to suggest
        return TemplateError(str(error), engine="jinja", source_name=name, line=line)
    top_level = error.owner is missing
    candidates = variables if top_level else error.owner
    suggestion = closest_name(error.name, candidates) if isinstance(candidates, Mapping) else None
    return UndefinedVariableError(
        str(error),
        variable=error.name,
        suggestion=suggestion,
        engine="jinja",
        source_name=name,
        line=line,
    )


def _line(error: Exception, filename: str) -> int | None:
    """The template line a render error came from.

    Jinja rewrites the traceback of a render error so that frames of template code
    carry the template's file name and line, which is all this reads.
    """
    lines = [
        lineno
        for frame, lineno in traceback.walk_tb(error.__traceback__)
        if frame.f_code.co_filename == filename
    ]
    return lines[-1] if lines else None
