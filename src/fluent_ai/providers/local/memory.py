"""Refuse to load a model that will not fit in RAM, before trying.

Running out of memory half-way through a load gets the process killed with no message,
so the need is estimated up front and compared with what the OS says is available.

The estimate is the float32 weights (4 bytes per parameter, which is what a GGUF file is
dequantized to), twice over when converting from GGUF (the file's tensors and the
model's are alive together), plus a fixed allowance for torch, transformers and
generation buffers. Measured for SmolLM2-135M: a 1.2 GB peak converting and 1.0 GB
running from the cache, against estimates of 1.6 GB and 1.1 GB.
"""

from __future__ import annotations

import psutil

from fluent_ai.providers.local.catalog import LocalModelSpec
from fluent_ai.types import LocalModelError

RUNTIME_BYTES = 512 * 1024**2
BYTES_PER_PARAMETER = 4


def needed_bytes(spec: LocalModelSpec, *, converting: bool) -> int:
    """Estimated peak memory to load ``spec`` and generate with it."""
    weights = spec.parameters * BYTES_PER_PARAMETER
    return weights * (2 if converting else 1) + RUNTIME_BYTES


def available_bytes() -> int:
    """Memory the OS can give this process without swapping."""
    return int(psutil.virtual_memory().available)


def gigabytes(count: int) -> str:
    return f"{count / 1e9:.1f} GB"


def check_memory(spec: LocalModelSpec, *, converting: bool) -> tuple[int, int]:
    """Return ``(needed, available)`` in bytes, or raise :class:`LocalModelError`."""
    needed = needed_bytes(spec, converting=converting)
    available = available_bytes()
    if needed > available:
        action = "convert and run" if converting else "run"
        raise LocalModelError(
            f"not enough memory to {action} the local model {spec.name}: it needs about "
            f"{gigabytes(needed)} of RAM and {gigabytes(available)} is available; close "
            "other programs or use a remote model",
            provider="local",
        )
    return needed, available
