"""The shared engines, by name and by file extension, and the filters they all have.

There is one engine of each kind per process, made the first time a template for it is
compiled (only then is its library imported). Filters are registered here once and
reach all three engines, those already made and those made later.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import PurePath
from typing import Any, Final

from fluent_ai.templates.cache import template_cache
from fluent_ai.templates.engines.base import TemplateEngine
from fluent_ai.templates.filters import Filter, builtin_filters
from fluent_ai.types.errors import ConfigurationError


def _jinja(filters: Mapping[str, Filter]) -> TemplateEngine:
    from fluent_ai.templates.engines.jinja import JinjaEngine

    return JinjaEngine(filters)


def _liquid(filters: Mapping[str, Filter]) -> TemplateEngine:
    from fluent_ai.templates.engines.liquid import LiquidEngine

    return LiquidEngine(filters)


def _handlebars(filters: Mapping[str, Filter]) -> TemplateEngine:
    from fluent_ai.templates.engines.handlebars import HandlebarsEngine

    return HandlebarsEngine(filters)


_FACTORIES: Final[dict[str, Callable[[Mapping[str, Filter]], TemplateEngine]]] = {
    "jinja": _jinja,
    "liquid": _liquid,
    "handlebars": _handlebars,
}
ENGINE_NAMES: Final = tuple(_FACTORIES)
"""The names ``engine=`` accepts."""

EXTENSIONS: Final[Mapping[str, str]] = {
    ".j2": "jinja",
    ".jinja": "jinja",
    ".jinja2": "jinja",
    ".liquid": "liquid",
    ".hbs": "handlebars",
    ".handlebars": "handlebars",
}
"""Which engine reads a template file, by its extension."""

_lock = threading.Lock()
_engines: dict[str, TemplateEngine] = {}
_filters: dict[str, Filter] = builtin_filters()


def get_engine(name: str) -> TemplateEngine:
    """The shared engine called ``name``: ``"jinja"``, ``"liquid"`` or ``"handlebars"``."""
    with _lock:
        engine = _engines.get(name)
        if engine is None:
            factory = _FACTORIES.get(name)
            if factory is None:
                known = ", ".join(ENGINE_NAMES)
                raise ConfigurationError(f"unknown template engine {name!r}; known: {known}")
            engine = _engines[name] = factory(_filters)
        return engine


def engine_for_path(path: str | PathLike[str]) -> str:
    """The name of the engine for a template file, from its extension."""
    suffix = PurePath(path).suffix.lower()
    name = EXTENSIONS.get(suffix)
    if name is None:
        known = ", ".join(EXTENSIONS)
        raise ConfigurationError(
            f"no template engine for {str(path)!r}: use one of {known}, or name the engine"
        )
    return name


def register_filter(name: str, function: Callable[..., Any]) -> None:
    """Make ``function`` the filter ``name`` in every engine; a built-in may be replaced.

    The function takes the filtered value first, then the template's arguments. The
    cache of compiled templates is emptied, so the next compile of any source sees
    the filter: register filters at start-up, before the templates that use them.
    """
    if not name.isidentifier():
        raise ConfigurationError(f"a filter name must be an identifier, not {name!r}")
    if not callable(function):
        raise ConfigurationError(f"filter {name!r} must be callable, not {function!r}")
    with _lock:
        _filters[name] = function
        for engine in _engines.values():
            engine.add_filter(name, function)
    template_cache.clear()


def registered_filters() -> Mapping[str, Filter]:
    """The filters every engine has now, built-in and registered, by name."""
    with _lock:
        return dict(_filters)
