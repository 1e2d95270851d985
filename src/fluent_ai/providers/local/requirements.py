"""Check, without importing anything heavy, that the ``local`` extra is installed.

The check looks the packages up with :func:`importlib.util.find_spec`, so the error
names every missing one and the exact command that installs them all, rather than
failing on the first ``ImportError`` halfway through a load.
"""

from __future__ import annotations

import importlib.util

from fluent_ai.types import LocalModelError

INSTALL_HINT = "install it with `uv sync --extra local` or `pip install 'fluent-ai[local]'`"

# import name -> distribution name, as the user would see it in `pip list`
REQUIRED: dict[str, str] = {
    "numpy": "numpy",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "tokenizers": "tokenizers",
    "gguf": "gguf",
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
