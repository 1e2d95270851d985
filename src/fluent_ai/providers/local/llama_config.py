"""The shape of a Llama decoder, and the files a built graph is kept in.

This module imports nothing heavy: :class:`.runner.LlamaRunner` needs the configuration
of a graph built long before, not ``gguf`` or ``onnx`` (the latter alone costs 40 MB of
memory and a tenth of a second to import).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from fluent_ai.types import LocalModelError

BUILDER_VERSION = "1"
"""Part of a built graph's cache key: change it whenever the graph built from the same
GGUF file would differ (:mod:`.llama_graph` and the modules it uses), so that graphs
built before are built again. It lives here so that the loader, which needs it on every
start, does not import the builder and ``onnx`` with it."""

GRAPH_FILE = "model.onnx"
"""The graph in a built directory; its weights are beside it, in ``model.onnx.data``."""

CONFIG_FILE = "llama.json"
"""The :class:`LlamaConfig` the graph was built for, beside it."""


@dataclass(frozen=True, slots=True)
class LlamaConfig:
    """The shape of a Llama decoder, as its GGUF metadata gives it.

    ``rope_scaling`` is ``None`` or ``"linear"`` (positions divided by ``rope_factor``);
    ``rope_freq_factors`` says the file has Llama 3's per-frequency divisors, the
    ``rope_freqs.weight`` tensor.
    """

    architecture: str
    layers: int
    hidden: int
    ffn: int
    heads: int
    kv_heads: int
    head_dim: int
    rope_base: float
    rope_dim: int
    rms_eps: float
    vocab: int
    context_length: int
    tied_embeddings: bool
    rope_scaling: str | None = None
    rope_factor: float = 1.0
    rope_freq_factors: bool = False


def write_config(config: LlamaConfig, path: Path) -> None:
    path.write_text(json.dumps(asdict(config), indent=2) + "\n")


def read_config(path: Path) -> LlamaConfig:
    """The configuration written by :func:`write_config`; a :class:`LocalModelError` if the
    file is missing, unreadable or from a builder with other fields."""
    try:
        data = json.loads(path.read_text())
        names = {field.name for field in fields(LlamaConfig)}
        if not isinstance(data, dict) or set(data) - names:
            raise ValueError(f"unexpected content {data!r}")
        return LlamaConfig(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise LocalModelError(f"unreadable model config {path}: {exc}", provider="local") from exc
