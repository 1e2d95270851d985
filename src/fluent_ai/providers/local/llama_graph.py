"""A Llama decoder with its KV cache, built as one ONNX graph from a GGUF file.

The graph is written for ONNX Runtime's CPU kernels and uses its contrib operators
(``com.microsoft``) where they are the fast path: ``MatMulNBits`` multiplies by the GGUF
blocks as they are (see :mod:`.quant` and :mod:`.llama_parts`), ``GroupQueryAttention``
does rotary embeddings, the KV cache update and causal attention in one kernel,
``SkipSimplifiedLayerNormalization`` adds the residual and normalizes in one pass, and
``GatherBlockQuantized`` looks tokens up in the quantized embedding table, so the table is
never expanded to float32; a tied head multiplies by the table's own initializers.

Contract (one sequence; ``S`` new tokens, ``P`` already cached, ``C`` the cache capacity):

Inputs
    ``input_ids``             int64 ``[1, S]``
    ``seqlens_k``             int32 ``[1]``, ``P + S - 1``
    ``total_sequence_length`` int32 scalar, ``P + S``
    ``past_key.{i}``, ``past_value.{i}`` float32 ``[1, kv_heads, C, head_dim]`` for each
    layer ``i``: positions ``[0, P)`` hold the cache, the rest is ignored.
Outputs
    ``logits``                float32 ``[1, vocab]``, for the position after the last token
    ``present_key.{i}``, ``present_value.{i}``: the cache with positions ``[P, P + S)``
    written. Bound to the same buffers as the past (``C >= P + S``), GroupQueryAttention
    writes the new positions in place and copies nothing; unbound, they are
    ``[1, kv_heads, P + S, head_dim]``.

Rotary positions come from ``seqlens_k`` (``P + s`` for new token ``s``), so positions are
never passed. They rotate adjacent pairs (``rotary_interleaved``): llama.cpp's converter
permutes the Q and K weights for exactly that rotation.

Hidden states are ``[S, hidden]``: two-dimensional, so a ``Q4_1`` product's offset term
is one ``Gemm`` that also adds the ``MatMulNBits`` result. Only the last position goes past
the last layer's attention, so a long prompt's prefill costs one vocabulary projection,
not one per token. Beside the graph, ``llama.json`` records its
:class:`.llama_config.LlamaConfig`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from fluent_ai.onnx.graph import MICROSOFT
from fluent_ai.providers.local.gguf_model import GGUFModel, rope_inverse_frequencies
from fluent_ai.providers.local.llama_config import CONFIG_FILE, write_config
from fluent_ai.providers.local.llama_parts import WeightedGraph

_INT64_MAX = np.iinfo(np.int64).max


class _Decoder(WeightedGraph):
    """The decoder's blocks, over :class:`.llama_parts.WeightedGraph`'s weighted parts."""

    def attention(self, i: int, h: str, lengths: list[str], rope: list[str]) -> str:
        """Self-attention of block ``i``, reading and writing its cache in place."""
        cfg, g, p = self.config, self.g, f"blk.{i}."
        kv = cfg.kv_heads * cfg.head_dim
        names = [f"{p}attn_q.weight", f"{p}attn_k.weight", f"{p}attn_v.weight"]
        qkv = self.project(h, names, [cfg.heads * cfg.head_dim, kv, kv])
        batch = g.constant([0])
        unsqueezed = [g.op("Unsqueeze", t, batch) for t in ([qkv] if isinstance(qkv, str) else qkv)]
        cache: list[int | str] = [1, cfg.kv_heads, "cache_length", cfg.head_dim]
        past = [g.input(f"past_{kind}.{i}", np.float32, cache) for kind in ("key", "value")]
        present = [f"present_key.{i}", f"present_value.{i}"]
        for name in present:
            g.output(name, name, np.float32, cache)
        out = g.op(
            "GroupQueryAttention",
            *(unsqueezed if len(unsqueezed) == 3 else [unsqueezed[0], "", ""]),
            *past,
            *lengths,
            *rope,
            domain=MICROSOFT,
            output_names=[g.fresh("attention"), *present],
            num_heads=cfg.heads,
            kv_num_heads=cfg.kv_heads,
            do_rotary=1,
            rotary_interleaved=1,
        )
        return str(g.op("Squeeze", out[0], batch))

    def mlp(self, i: int, h: str) -> str:
        """The SiLU-gated MLP of block ``i``: ``down(silu(gate(h)) * up(h))``."""
        cfg, g, p = self.config, self.g, f"blk.{i}."
        gate_up = self.project(h, [f"{p}ffn_gate.weight", f"{p}ffn_up.weight"], [cfg.ffn] * 2)
        if isinstance(gate_up, str):
            gate, up = g.op("Split", gate_up, axis=-1, num_outputs=2, outputs=2)
        else:
            gate, up = gate_up
        silu = g.op("QuickGelu", gate, domain=MICROSOFT, alpha=1.0)  # x * sigmoid(1.0 * x)
        down = self.model.matrix(f"{p}ffn_down.weight", cfg.hidden, cfg.ffn)
        return self.linear(g.op("Mul", silu, up), down, f"{p}ffn_down.weight")

    def rotary_caches(self) -> list[str]:
        """``cos`` and ``sin`` of every position's angles, ``[context_length, head_dim/2]``."""
        positions = np.arange(self.config.context_length, dtype=np.float64)
        angles = np.outer(positions, rope_inverse_frequencies(self.model))
        return [
            self.weight("rope.cos", np.cos(angles).astype(np.float32)),
            self.weight("rope.sin", np.sin(angles).astype(np.float32)),
        ]

    def last(self, x: str) -> str:
        """``x[-1:]``, the last position."""
        c = self.g.constant
        return str(self.g.op("Slice", x, c([-1]), c([_INT64_MAX]), c([0])))


def build_llama_graph(
    gguf_path: Path,
    out_path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the decoder graph of ``gguf_path`` to ``out_path`` (+ ``.data``, + config).

    ``progress(done, total)`` is called as each block is built and once the files are
    written. Raises :class:`~fluent_ai.types.LocalModelError` for a file it cannot translate.
    """
    model = GGUFModel(gguf_path)
    cfg = model.config
    b = _Decoder(model, out_path)
    g = b.g
    steps = cfg.layers + 1
    ids = g.input("input_ids", np.int64, [1, "sequence_length"])
    lengths = [
        g.input("seqlens_k", np.int32, [1]),
        g.input("total_sequence_length", np.int32, []),
    ]
    x, table = b.embedding(ids)
    rope = b.rotary_caches()
    head = table if cfg.tied_embeddings else model.matrix("output.weight", cfg.vocab, cfg.hidden)
    h, x = b.norm(x, "blk.0.attn_norm.weight")
    for i in range(cfg.layers):
        p, last = f"blk.{i}.", i == cfg.layers - 1
        attn = b.attention(i, h, lengths, rope)
        if last:  # only the next token's logits are wanted
            attn, x = b.last(attn), b.last(x)
        out = model.matrix(f"{p}attn_output.weight", cfg.hidden, cfg.heads * cfg.head_dim)
        h, x = b.norm(b.linear(attn, out, f"{p}attn_output.weight"), f"{p}ffn_norm.weight", x)
        h, x = b.norm(
            b.mlp(i, h), "output_norm.weight" if last else f"blk.{i + 1}.attn_norm.weight", x
        )
        model.file.release()
        if progress:
            progress(i + 1, steps)
    b.linear(h, head, "output.weight", out="logits")
    g.output("logits", "logits", np.float32, [1, cfg.vocab])
    g.outputs.sort(key=lambda value: value.name != "logits")  # first, then the caches
    g.save()
    write_config(cfg, out_path.parent / CONFIG_FILE)
    if progress:
        progress(steps, steps)
