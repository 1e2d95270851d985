"""A GGUF file read as a Llama decoder: its configuration and its tensors.

The file is memory-mapped (see :mod:`.gguf_file`): reading the metadata costs milliseconds
and a tensor is only read from disk when it is asked for.

Supported architectures: ``llama`` only. That name covers every model llama.cpp converts
as a plain Llama decoder (Llama 1 to 3.x, SmolLM, TinyLlama, Mistral 7B v0.1, OpenLLaMA,
...): RMSNorm, rotary embeddings, grouped-query attention without biases and a SiLU-gated
MLP. Families whose graph differs (Qwen's biases and NeoX rotary, Gemma's norms, Phi,
mixture-of-experts Llamas such as Mixtral) are refused rather than run wrongly; so are
rope scaling other than ``linear`` (YaRN, LongRoPE) and partial rotary embeddings. Llama
3's frequency factors, which llama.cpp stores as the ``rope_freqs.weight`` tensor, are
supported.

Supported tensor types are listed in :mod:`.quant`, which also says which of them are
re-quantized rather than carried over exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from gguf import GGMLQuantizationType

from fluent_ai.providers.local import quant
from fluent_ai.providers.local.gguf_file import GGUFFile, TensorInfo
from fluent_ai.providers.local.llama_config import LlamaConfig
from fluent_ai.types import LocalModelError

SUPPORTED_ARCHITECTURES = ("llama",)


def _error(path: Path, message: str) -> LocalModelError:
    return LocalModelError(f"{path.name}: {message}", provider="local")


class GGUFModel:
    """A Llama-family GGUF: :attr:`config` and its tensors by GGUF name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.file = GGUFFile(path)
        except (OSError, ValueError) as exc:
            raise _error(path, f"not a readable GGUF file ({exc})") from exc
        self._tensors = self.file.tensors
        self._check_types()
        self.config = self._read_config()

    def _field(self, key: str, default: Any = None) -> Any:
        value = self.file.fields.get(key, default)
        if value is None:
            raise _error(self.path, f"the metadata has no {key}")
        return value

    def _read_config(self) -> LlamaConfig:
        arch = str(self._field("general.architecture"))
        if arch not in SUPPORTED_ARCHITECTURES:
            raise _error(
                self.path,
                f"architecture {arch!r} is not supported; supported: "
                f"{', '.join(SUPPORTED_ARCHITECTURES)}",
            )
        if int(self._field(f"{arch}.expert_count", 0)) > 0:
            raise _error(self.path, f"{arch} with experts (mixture of experts) is not supported")
        heads = self._field(f"{arch}.attention.head_count")
        kv_heads = self._field(f"{arch}.attention.head_count_kv", heads)
        if isinstance(heads, np.ndarray) or isinstance(kv_heads, np.ndarray):
            raise _error(self.path, "per-layer head counts are not supported")
        hidden = int(self._field(f"{arch}.embedding_length"))
        head_dim = int(self._field(f"{arch}.attention.key_length", hidden // int(heads)))
        if int(self._field(f"{arch}.attention.value_length", head_dim)) != head_dim:
            raise _error(self.path, "different key and value head sizes are not supported")
        scaling = str(self._field(f"{arch}.rope.scaling.type", "none"))
        if scaling not in ("none", "linear"):
            raise _error(self.path, f"rope scaling {scaling!r} is not supported; supported: linear")
        embedding = self.tensor("token_embd.weight")
        config = LlamaConfig(
            architecture=arch,
            layers=int(self._field(f"{arch}.block_count")),
            hidden=hidden,
            ffn=int(self._field(f"{arch}.feed_forward_length")),
            heads=int(heads),
            kv_heads=int(kv_heads),
            head_dim=head_dim,
            rope_base=float(self._field(f"{arch}.rope.freq_base", 10000.0)),
            rope_dim=int(self._field(f"{arch}.rope.dimension_count", head_dim)),
            rms_eps=float(self._field(f"{arch}.attention.layer_norm_rms_epsilon")),
            vocab=int(self._field(f"{arch}.vocab_size", int(embedding.shape[1]))),
            context_length=int(self._field(f"{arch}.context_length")),
            tied_embeddings="output.weight" not in self._tensors,
            rope_scaling=None if scaling == "none" else scaling,
            rope_factor=float(self._field(f"{arch}.rope.scaling.factor", 1.0)),
            rope_freq_factors="rope_freqs.weight" in self._tensors,
        )
        if config.heads % config.kv_heads:
            raise _error(self.path, f"inconsistent attention shape in {config}")
        if config.rope_dim != head_dim:
            raise _error(
                self.path,
                f"rotary embeddings over {config.rope_dim} of {head_dim} head dimensions "
                "(partial rotary) are not supported",
            )
        unknown = sorted(set(self._tensors) - _expected_tensors(config.layers))
        if unknown:  # a bias or an extra norm the graph would silently leave out
            raise _error(
                self.path,
                f"tensors {', '.join(unknown[:3])} are not part of a plain Llama decoder; "
                "models with them are not supported",
            )
        return config

    def _check_types(self) -> None:
        supported = {int(kind) for kind in quant.SUPPORTED_TYPES}
        for tensor in self._tensors.values():
            if tensor.type_id not in supported:
                try:
                    kind = GGMLQuantizationType(tensor.type_id).name
                except ValueError:
                    kind = f"unknown ({tensor.type_id})"
                names = ", ".join(sorted(kind.name for kind in quant.SUPPORTED_TYPES))
                raise _error(
                    self.path,
                    f"tensor {tensor.name} has type {kind}, which is not supported; "
                    f"supported: {names}",
                )

    def tensor(self, name: str) -> TensorInfo:
        try:
            return self._tensors[name]
        except KeyError:
            raise _error(self.path, f"the file has no tensor {name}") from None

    def kind(self, name: str) -> GGMLQuantizationType:
        return GGMLQuantizationType(self.tensor(name).type_id)

    def vector(self, name: str) -> quant.Array:
        """A 1-D tensor (a norm's weight) as float32."""
        return quant.dequantize(self.kind(name), self.file.data(self.tensor(name))).reshape(-1)

    def matrix(self, name: str, rows: int, cols: int) -> quant.Matrix:
        """The ``rows x cols`` matrix ``name`` (GGUF shape ``[cols, rows]``), see :mod:`.quant`."""
        return quant.matrix(self.kind(name), self._raw(name, rows, cols), rows, cols)

    def _raw(self, name: str, rows: int, cols: int) -> quant.Array:
        tensor = self.tensor(name)
        if tensor.shape != (cols, rows):
            raise _error(
                self.path, f"{name} has shape {list(tensor.shape)}, expected {[cols, rows]}"
            )
        return self.file.data(tensor)


def _expected_tensors(layers: int) -> set[str]:
    names = {"token_embd.weight", "output_norm.weight", "output.weight", "rope_freqs.weight"}
    for i in range(layers):
        for part in _BLOCK_TENSORS:
            names.add(f"blk.{i}.{part}.weight")
    return names


_BLOCK_TENSORS: tuple[str, ...] = ("attn_norm", "attn_q", "attn_k", "attn_v", "attn_output")
_BLOCK_TENSORS += ("ffn_norm", "ffn_gate", "ffn_up", "ffn_down")


def rope_inverse_frequencies(model: GGUFModel) -> np.ndarray[Any, Any]:
    """``theta_i = base**(-2i/d)``, divided by Llama 3's factors and the linear scale."""
    config = model.config
    dim = config.rope_dim
    inv = 1.0 / config.rope_base ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
    if config.rope_freq_factors:
        inv = inv / model.vector("rope_freqs.weight").astype(np.float64)
    if config.rope_scaling == "linear":
        inv = inv / config.rope_factor
    return inv
