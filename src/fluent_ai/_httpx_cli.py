"""Keep httpx's command-line client out of the import until someone runs it.

``import httpx`` runs ``from ._main import main``, and ``httpx._main`` imports click,
rich and pygments at module level: about 45 ms of the 240 a first chat call spent
importing (best of 25 fresh interpreters, with and without this module taking turns, on
the 2-core development machine, 2026-12-06), for a client a library never runs.

:func:`defer` registers a stand-in module as ``httpx._main`` before httpx is first
imported, so httpx's own ``from ._main import main`` finds it. The stand-in loads the
real module the moment anything is asked of it: ``httpx.main(...)`` runs the real
click command with the same arguments, and any other name (``from httpx._main import
print_help``) comes from the real module. Once loaded, ``httpx.main`` is the real
command again. Until then the package has no ``_main`` attribute (``import httpx._main``
and ``from httpx._main import …`` find the stand-in). Nothing else in the import system
changes, and a program that imported httpx before fluent_ai keeps httpx exactly as
httpx made it.

Delete this module, and its call in ``fluent_ai/__init__.py``, once httpx imports its
command-line client lazily (encode/httpx PR #3547; the fork httpx2 does, PR #947).
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

_NAME = "httpx._main"
_stand_in = ModuleType(_NAME, "httpx's command-line client, loaded on first use (fluent_ai).")


def defer() -> None:
    """Register the stand-in, unless httpx or its client is already imported."""
    if "httpx" not in sys.modules and _NAME not in sys.modules:
        sys.modules[_NAME] = _stand_in


def _load() -> ModuleType:
    """The real ``httpx._main``, imported now in place of the stand-in."""
    if sys.modules.get(_NAME) is _stand_in:
        del sys.modules[_NAME]
    real = importlib.import_module(_NAME)
    httpx = sys.modules.get("httpx")
    if httpx is not None and getattr(httpx, "main", None) is main:
        httpx.main = real.main  # type: ignore[attr-defined]
    return real


def main(*args: Any, **kwargs: Any) -> Any:
    """httpx's command-line client: loads it, then runs it with these arguments."""
    return _load().main(*args, **kwargs)


def _getattr(name: str) -> Any:
    """The stand-in's PEP 562 hook: any other name comes from the real module."""
    # Tools that walk sys.modules ask every module for ``__file__``, ``__path__`` and
    # the like (inspect.getmodule does): those must not load the client.
    if name.startswith("__") and name.endswith("__"):
        raise AttributeError(f"module {_NAME!r} has no attribute {name!r}")
    return getattr(_load(), name)


_stand_in.main = main  # type: ignore[attr-defined]
_stand_in.__getattr__ = _getattr  # type: ignore[method-assign]
