"""Compiled templates, the cache in front of them, and prompts written as templates.

Compiling is where mistakes surface: an agent compiles its prompts when it is built, so
a syntax error stops the build with its line and column instead of failing the first
request. Rendering then only fills in variables.

Every render sees two variables without being given them: ``date``, today's date in
ISO form (``2025-01-31``), and ``now``, the current local time as an aware
``datetime``. Both are read at each render, so a long-running agent's prompt says the
right day; a variable passed in under either name takes precedence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any, TypeAlias

from fluent_ai.templates.cache import template_cache
from fluent_ai.templates.engines.base import Renderer, TemplateEngine
from fluent_ai.templates.registry import engine_for_path, get_engine

EngineChoice: TypeAlias = str | TemplateEngine
"""An engine by name (``"jinja"``, ``"liquid"``, ``"handlebars"``) or an engine object."""


def default_variables() -> dict[str, Any]:
    """The variables every template sees: ``date`` (ISO, today) and ``now`` (a datetime)."""
    now = datetime.now().astimezone()
    return {"date": now.date().isoformat(), "now": now}


class Template:
    """A template compiled by one engine, ready to render any number of times.

    Make one with :meth:`Template.compile`, which returns the cached object when the
    same source was compiled before by the same engine under the same name.
    """

    __slots__ = ("_renderer", "engine", "name", "source")

    def __init__(
        self, source: str, engine: TemplateEngine, renderer: Renderer, name: str | None = None
    ) -> None:
        self.source = source
        self.engine = engine
        self.name = name
        self._renderer = renderer

    @classmethod
    def compile(
        cls, source: str, engine: EngineChoice = "jinja", *, name: str | None = None
    ) -> Template:
        """Compile ``source``, or return the cached template; ``name`` is used in errors.

        Raises :class:`~fluent_ai.templates.errors.TemplateError` with the line and
        column of a syntax error.
        """
        chosen = get_engine(engine) if isinstance(engine, str) else engine
        digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).digest()
        # The engine object is in the key by identity: two differently configured
        # engines of one kind must not share compiled templates.
        key = (id(chosen), name, digest)
        return template_cache.get_or_create(
            key, lambda: cls(source, chosen, chosen.compile(source, name), name)
        )

    def render(self, variables: Mapping[str, Any] | None = None, /, **values: Any) -> str:
        """Render with ``variables`` and keyword ``values`` on top of the defaults."""
        return self._renderer({**default_variables(), **(variables or {}), **values})

    def __repr__(self) -> str:
        where = f" {self.name!r}" if self.name else ""
        return f"<Template{where} engine={self.engine.name!r} {len(self.source)} chars>"


def compile_template(
    source: str, engine: EngineChoice = "jinja", *, name: str | None = None
) -> Template:
    """Compile ``source`` with the engine named (cached); see :meth:`Template.compile`."""
    return Template.compile(source, engine, name=name)


def render(
    source: str,
    variables: Mapping[str, Any] | None = None,
    /,
    *,
    engine: EngineChoice = "jinja",
    **values: Any,
) -> str:
    """Compile (cached) and render ``source`` in one step.

    A variable called ``engine`` has to go in the ``variables`` mapping, since the
    keyword picks the engine.
    """
    return Template.compile(source, engine).render(variables, **values)


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    """A prompt kept as template source, with the engine that reads it.

    This is what the agent builder stores for ``.system_prompt(...)``: it calls
    :meth:`compile` when the agent is built, so errors surface then, and the compiled
    template's ``render`` on every call.
    """

    source: str
    engine: str = "jinja"
    name: str | None = None

    @classmethod
    def from_file(cls, path: str | PathLike[str], engine: str | None = None) -> PromptTemplate:
        """Read a template file; the engine comes from its extension unless named."""
        text = Path(path).read_text(encoding="utf-8")
        return cls(text, engine or engine_for_path(path), str(path))

    def compile(self) -> Template:
        """The compiled template (cached); raises ``TemplateError`` on a syntax error."""
        return Template.compile(self.source, self.engine, name=self.name)

    def render(self, variables: Mapping[str, Any] | None = None, /, **values: Any) -> str:
        """Compile (cached) and render with ``variables`` and keyword ``values``."""
        return self.compile().render(variables, **values)
