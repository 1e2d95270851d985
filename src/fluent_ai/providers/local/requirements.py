"""Check, without importing anything heavy, that the ``local`` extra is installed.

Importing torch takes seconds, so the check looks the packages up with
:func:`importlib.util.find_spec`; the error names every missing one and the exact
command that installs them all, rather than failing on the first ``ImportError``.
"""

from __future__ import annotations

import importlib.util

from fluent_ai.providers.local.catalog import INSTALL_HINT
from fluent_ai.types import LocalModelError

# import name -> distribution name, as the user would see it in `pip list`
REQUIRED: dict[str, str] = {
    "torch": "torch",
    "transformers": "transformers",
    "gguf": "gguf",
    "accelerate": "accelerate",
    "tqdm": "tqdm",
}


def missing_packages(extra: tuple[str, ...] = ()) -> list[str]:
    """Distribution names of the required packages (plus ``extra`` imports) not installed."""
    names = {**REQUIRED, **{name: name.replace("_", "-") for name in extra}}
    return [dist for module, dist in names.items() if importlib.util.find_spec(module) is None]


def require_local_packages(extra: tuple[str, ...] = ()) -> None:
    """Raise :class:`LocalModelError` saying what to install if anything is missing."""
    missing = missing_packages(extra)
    if missing:
        raise LocalModelError(
            f"the local model needs {', '.join(missing)}, not installed: {INSTALL_HINT}",
            provider="local",
        )
