"""The one error every template engine raises, and the arithmetic that places it.

Each engine reports positions its own way (Jinja a line, Liquid and the Handlebars
parser a character offset), so engines convert what they get into a
:class:`TemplateError` with 1-based ``line`` and ``column``, the convention editors and
compilers use for ``file:line:column``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from fluent_ai.types.errors import FluentAIError

_NEWLINE = re.compile(r"\r\n|\r|\n")


class TemplateError(FluentAIError):
    """A template failed to compile or render.

    ``line`` and ``column`` are 1-based and ``None`` when the engine could not say;
    ``engine`` names the engine (``"jinja"``, ``"liquid"``, ``"handlebars"``) and
    ``source_name`` the file or name the template was compiled under. ``detail`` is the
    engine's own description, without the location that ``str(error)`` puts in front.
    """

    def __init__(
        self,
        detail: str,
        *,
        engine: str,
        source_name: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.detail = detail
        self.engine = engine
        self.source_name = source_name
        self.line = line
        self.column = column
        super().__init__(f"{self.location}: {detail}")

    @property
    def location(self) -> str:
        """``name:line:column``, leaving out what is unknown."""
        where = self.source_name or f"<{self.engine} template>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


class UndefinedVariableError(TemplateError):
    """A template used a variable it was not given.

    ``variable`` is the name as the template spells it; ``suggestion`` is the closest
    name that was given, when one is close enough to be a likely typo (``None``
    otherwise). ``str(error)`` ends with "(did you mean 'name'?)" when there is one.
    """

    def __init__(
        self,
        detail: str,
        *,
        variable: str,
        suggestion: str | None = None,
        engine: str,
        source_name: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.variable = variable
        self.suggestion = suggestion
        hint = f" (did you mean {suggestion!r}?)" if suggestion is not None else ""
        super().__init__(
            detail + hint, engine=engine, source_name=source_name, line=line, column=column
        )


def closest_name(name: str, candidates: Iterable[object]) -> str | None:
    """The candidate most like ``name``, if one is close enough to be a likely typo."""
    names = [candidate for candidate in candidates if isinstance(candidate, str)]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return found[0] if found else None


def line_and_column(source: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at ``offset`` in ``source``.

    ``\\r\\n``, ``\\r`` and ``\\n`` each end a line, as they do for Jinja and Liquid, so a
    template saved with Windows line endings is placed the same as one without.
    """
    line, line_start = 1, 0
    for newline in _NEWLINE.finditer(source, 0, offset):
        line += 1
        line_start = newline.end()
    return line, offset - line_start + 1
