"""Check, without importing anything heavy, that the ``local`` extra is installed.

The error names every missing package and the exact command that installs them all,
rather than failing on the first ``ImportError`` halfway through a load.
"""

from __future__ import annotations

from fluent_ai.onnx.weights import require_packages

INSTALL_HINT = "install it with `uv sync --extra local` or `pip install 'fluent-ai[local]'`"

# import name -> distribution name, as the user would see it in `pip list`
REQUIRED: dict[str, str] = {
    "numpy": "numpy",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "tokenizers": "tokenizers",
    "gguf": "gguf",
    "tqdm": "tqdm",
    "llguidance": "llguidance",  # structured output and tools (constraint.py)
}


def require_local_packages() -> None:
    """Raise :class:`LocalModelError` saying what to install if anything is missing."""
    require_packages(REQUIRED, "the local model needs", INSTALL_HINT)
