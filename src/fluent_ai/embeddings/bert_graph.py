"""A BERT sentence encoder as one ONNX graph, written from its safetensors without torch.

The graph is the whole of what sentence-transformers runs for all-MiniLM-L6-v2: the
BERT encoder, mean pooling over the real (unpadded) tokens and L2 normalisation, so one
``session.run`` turns token ids into unit vectors and no numpy work is left in Python.

It is written in plain ONNX operators, shaped so that ONNX Runtime's optimizer turns
every projection into one prepacked ``Gemm`` with its bias: tokens are kept as a
``[batch * sequence, hidden]`` matrix between attention blocks and only attention itself
sees ``[batch, heads, sequence, head_size]``. A graph of ONNX Runtime's fused contrib
kernels (``EmbedLayerNormalization``, ``Attention``, ``SkipLayerNormalization``,
``BiasGelu``) was measured against it and lost: on one x86 core, 1,000 short sentences
in batches of 32 took 4.65 s against 3.97 s. Its ``Attention`` runs each head's tiny
products as separate calls (``MultiHeadAttention`` too: 1.5x the time of the plain
operators) and ``SkipLayerNormalization`` took 3.5x as long as ``Add`` +
``LayerNormalization``. Nearly 90% of the time is in the projections' matrix products,
which run close to the cores' peak either way; what is left to win is padding, which
the runner keeps low by sorting texts by length.

Weights stay float32, exactly as shipped: the vectors match sentence-transformers' to
within float rounding (cosine 0.9999999999 or better on the reference texts), which a
quantized graph would not. Only single-segment input is supported, so token type 0's
embedding is folded into the position table and the graph takes no ``token_type_ids``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fluent_ai.types.errors import LocalModelError

if TYPE_CHECKING:
    from fluent_ai.onnx.graph import Graph

BUILDER_VERSION = "1"
"""Part of the cache key: bump it whenever the graph this module writes changes."""

Array = np.ndarray[Any, Any]
_FLOAT = 1  # onnx.TensorProto.FLOAT, for Cast
_SUPPORTED = {
    "model_type": ("bert",),
    "hidden_act": ("gelu",),
    "position_embedding_type": ("absolute", None),
}


def build_bert_graph(
    model_dir: Path, out_path: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """Write the encoder + pooling graph of the BERT model in ``model_dir`` to ``out_path``.

    ``model_dir`` holds a Hugging Face ``config.json`` and ``model.safetensors``; the
    weights are written beside the graph as ``out_path`` + ``.data``. Inputs are int64
    ``input_ids`` and ``attention_mask`` of shape ``[batch, sequence]``, right-padded;
    the output ``embeddings`` is float32 ``[batch, hidden]``, each row of unit length.
    ``progress(done, total)`` is called as each layer is built and once the files are
    written. Raises :class:`LocalModelError` for a model it cannot translate.
    """
    from safetensors import safe_open

    config = read_config(model_dir / "config.json")
    with safe_open(str(model_dir / "model.safetensors"), framework="numpy") as checkpoint:
        _write(config, _Checkpoint(checkpoint, model_dir), out_path, progress)


def _write(
    config: dict[str, Any],
    weights: _Checkpoint,
    out_path: Path,
    progress: Callable[[int, int], None] | None,
) -> None:
    layers = int(config["num_hidden_layers"])
    encoder = _Encoder(config, weights, out_path)
    x = encoder.embeddings()
    for layer in range(layers):
        x = encoder.layer(f"encoder.layer.{layer}.", x)
        if progress:
            progress(layer + 1, layers + 1)
    encoder.pooled_output(x)
    encoder.g.save()
    if progress:
        progress(layers + 1, layers + 1)


def read_config(path: Path) -> dict[str, Any]:
    """The model's ``config.json``, checked to be a BERT this builder can translate."""
    config: dict[str, Any] = json.loads(path.read_text())
    for key, allowed in _SUPPORTED.items():
        if config.get(key) not in allowed:
            raise LocalModelError(
                f"{path}: {key}={config.get(key)!r} is not supported by the BERT graph "
                f"builder (it handles {' or '.join(map(str, allowed))})",
                provider="local",
            )
    return config


class _Checkpoint:
    """The tensors of a safetensors file, read one at a time as the graph takes them.

    Each one is copied into the graph as it is added, so holding only the one being
    added, not the whole file, keeps the build's peak memory one copy of the weights
    lower. Names are those of ``BertModel``; a ``bert.`` prefix (checkpoints saved
    from a task model) is accepted.
    """

    def __init__(self, handle: Any, model_dir: Path) -> None:
        self._handle = handle
        self._where = model_dir / "model.safetensors"
        names = set(handle.keys())
        self._prefix = "bert." if "bert.embeddings.word_embeddings.weight" in names else ""
        self._names = names

    def __getitem__(self, name: str) -> Array:
        if self._prefix + name not in self._names:
            raise LocalModelError(
                f"{self._where} has no tensor {name!r}: it is not a BERT checkpoint this "
                "builder can translate",
                provider="local",
            )
        tensor: Array = self._handle.get_tensor(self._prefix + name)
        return tensor.astype(np.float32, copy=False)


class _Encoder:
    """The graph under construction, with the shapes every layer reuses."""

    def __init__(self, config: dict[str, Any], weights: _Checkpoint, out_path: Path) -> None:
        self.w = weights
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.head_size = self.hidden // self.heads
        self.epsilon = float(config["layer_norm_eps"])
        from fluent_ai.onnx.graph import Graph  # onnx takes a second to import: builds only

        g: Graph = Graph("bert-mean-pooled", out_path)
        self.g = g
        self.input_ids = g.input("input_ids", np.int64, ["batch", "sequence"])
        self.attention_mask = g.input("attention_mask", np.int64, ["batch", "sequence"])
        batch_sequence = g.op("Shape", self.input_ids)
        self.by_head = g.op(
            "Concat", batch_sequence, g.constant([self.heads, self.head_size]), axis=0
        )
        self.by_token = g.constant([-1, self.hidden])
        self.mask = g.op("Cast", self.attention_mask, to=_FLOAT)
        # added to the attention scores: 0 for real keys, float32's lowest for padding,
        # as transformers does, so padded keys get exactly zero weight
        lowest = g.constant(float(np.finfo(np.float32).min))
        padding = g.op("Sub", g.constant(1.0), self.mask)
        self.key_bias = g.op("Unsqueeze", g.op("Mul", padding, lowest), g.constant([1, 2]))

    def embeddings(self) -> str:
        """Word + position (+ token type 0) embeddings, normalised: ``[batch * seq, hidden]``."""
        g, w = self.g, self.w
        positions = w["embeddings.position_embeddings.weight"]
        positions = positions + w["embeddings.token_type_embeddings.weight"][0]
        words = g.op(
            "Gather",
            g.weight("word_embeddings", w["embeddings.word_embeddings.weight"]),
            self.input_ids,
        )
        length = g.op("Shape", self.input_ids, start=1, end=2)
        table = g.weight("position_embeddings", positions)
        first = g.op("Slice", table, g.constant([0]), length, g.constant([0]))
        x = self._norm(g.op("Add", words, first), "embeddings.LayerNorm")
        return str(g.op("Reshape", x, self.by_token))

    def layer(self, p: str, x: str) -> str:
        """One transformer block: attention, then the feed-forward network, each post-norm."""
        g = self.g
        attended = self._attention(p + "attention.self.", x)
        x = self._norm(
            g.op("Add", self._linear(attended, p + "attention.output.dense"), x),
            p + "attention.output.LayerNorm",
        )
        up = g.op("Gelu", self._linear(x, p + "intermediate.dense"), approximate="none")
        return self._norm(
            g.op("Add", self._linear(up, p + "output.dense"), x), p + "output.LayerNorm"
        )

    def pooled_output(self, x: str) -> None:
        """sentence-transformers' mean pooling and ``Normalize``, with the same clamps.

        The masked sum is one batched MatMul, ``[batch, 1, seq] @ [batch, seq, hidden]``,
        rather than a broadcast multiply and a reduction over a temporary that size.
        """
        g = self.g
        tokens = g.op(
            "Reshape",
            x,
            g.op("Concat", g.op("Shape", self.input_ids), g.constant([self.hidden]), axis=0),
        )
        summed = g.op("MatMul", g.op("Unsqueeze", self.mask, g.constant([1])), tokens)
        summed = g.op("Squeeze", summed, g.constant([1]))
        count = g.op("ReduceSum", self.mask, g.constant([1]), keepdims=1)
        mean = g.op("Div", summed, g.op("Max", count, g.constant(1e-9)))
        norm = g.op("ReduceL2", mean, g.constant([1]), keepdims=1)
        unit = g.op("Div", mean, g.op("Max", norm, g.constant(1e-12)))
        g.output(unit, "embeddings", np.float32, ["batch", self.hidden])

    def _attention(self, p: str, x: str) -> str:
        """Scaled dot-product attention of every head over the unpadded keys."""
        g = self.g

        def heads(name: str, perm: list[int]) -> str:
            return str(
                g.op(
                    "Transpose", g.op("Reshape", self._linear(x, p + name), self.by_head), perm=perm
                )
            )

        scale = g.constant(1.0 / np.sqrt(self.head_size))
        query = g.op("Mul", heads("query", [0, 2, 1, 3]), scale)
        scores = g.op("Add", g.op("MatMul", query, heads("key", [0, 2, 3, 1])), self.key_bias)
        context = g.op("MatMul", g.op("Softmax", scores, axis=-1), heads("value", [0, 2, 1, 3]))
        return str(g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), self.by_token))

    def _linear(self, x: str, name: str) -> str:
        """torch's ``Linear``: ``x @ weight.T + bias``, its ``[out, in]`` weight as stored."""
        g = self.g
        weight = g.weight(name + ".weight", self.w[name + ".weight"])
        return str(
            g.op("Gemm", x, weight, g.weight(name + ".bias", self.w[name + ".bias"]), transB=1)
        )

    def _norm(self, x: str, name: str) -> str:
        g = self.g
        gamma = g.weight(name + ".weight", self.w[name + ".weight"])
        beta = g.weight(name + ".bias", self.w[name + ".bias"])
        return str(g.op("LayerNormalization", x, gamma, beta, axis=-1, epsilon=self.epsilon))
