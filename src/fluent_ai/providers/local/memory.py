"""Refuse to load a model that will not fit in RAM, before trying.

Running out of memory half-way through a load gets the process killed with no message,
so the need is estimated up front from the GGUF file's size and compared with what the
OS says is available.

The graph carries the file's quantized blocks as they are, so running needs about the
file's size for the weights plus an allowance for ONNX Runtime, the tokenizer and the
attention cache; building holds the file's tensors, their repacked copies and the
serialised graph at once, about three times the file. Measured for SmolLM2-135M
(a 92 MB file): see the figures in ``docs/local.md``.
"""

from __future__ import annotations

from pathlib import Path

import psutil

from fluent_ai.types import LocalModelError

RUNTIME_BYTES = 200 * 1024**2
BUILD_FACTOR = 3


def needed_bytes(gguf: Path, *, building: bool) -> int:
    """Estimated peak memory to load the model in ``gguf`` and generate with it."""
    weights = gguf.stat().st_size
    return weights * (BUILD_FACTOR if building else 1) + RUNTIME_BYTES


def available_bytes() -> int:
    """Memory the OS can give this process without swapping."""
    return int(psutil.virtual_memory().available)


def gigabytes(count: int) -> str:
    return f"{count / 1e9:.1f} GB"


def check_memory(gguf: Path, *, building: bool) -> tuple[int, int]:
    """Return ``(needed, available)`` in bytes, or raise :class:`LocalModelError`."""
    needed = needed_bytes(gguf, building=building)
    available = available_bytes()
    if needed > available:
        action = "build and run" if building else "run"
        raise LocalModelError(
            f"not enough memory to {action} the local model in {gguf.name}: it needs about "
            f"{gigabytes(needed)} of RAM and {gigabytes(available)} is available; close "
            "other programs or use a remote model",
            provider="local",
        )
    return needed, available
