"""A plain numpy Llama decoder over a GGUF file, the oracle the ONNX graph is tested against,
and the tiny random Llama GGUFs it judges it on.

The oracle shares nothing with the code under test but the file format: it reads the file
with ``gguf.GGUFReader``, dequantizes every tensor with ``gguf.quants.dequantize``
(llama.cpp's own reference decoding, not the repacking under test) and computes each step
with the textbook formula in float32, keeping its KV cache as plain arrays.

Rotary embeddings rotate adjacent pairs ``(x[2i], x[2i+1])``: llama.cpp's "normal" rope,
which its converter permutes the Q and K weights for. That choice was checked once against
transformers: on SmolLM2 and the first prompt of ``tests/data/smollm2_prompts.json`` the
two agree to 4e-5 of logits around 25.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gguf
import numpy as np
from gguf import GGMLQuantizationType, GGUFReader, quants

Array = np.ndarray[Any, Any]


class LlamaReference:
    """``forward(tokens)`` gives the logits after the last token, keeping a cache."""

    def __init__(self, path: Path) -> None:
        reader = GGUFReader(path)
        meta = {key: field.contents() for key, field in reader.fields.items()}
        arch = meta["general.architecture"]
        self.layers = int(meta[f"{arch}.block_count"])
        self.heads = int(meta[f"{arch}.attention.head_count"])
        self.kv_heads = int(meta.get(f"{arch}.attention.head_count_kv", self.heads))
        self.eps = float(meta[f"{arch}.attention.layer_norm_rms_epsilon"])
        self.weights: dict[str, Array] = {}
        for tensor in reader.tensors:
            shape = [int(n) for n in reversed(tensor.shape)]  # GGUF lists ne0 (columns) first
            values = quants.dequantize(np.asarray(tensor.data), tensor.tensor_type)
            self.weights[tensor.name] = np.asarray(values, dtype=np.float32).reshape(shape)
        self.head_dim = self.weights["blk.0.attn_q.weight"].shape[0] // self.heads
        base = float(meta.get(f"{arch}.rope.freq_base", 10000.0))
        dim = self.head_dim
        inv = 1.0 / base ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
        if "rope_freqs.weight" in self.weights:
            inv /= self.weights["rope_freqs.weight"]
        if meta.get(f"{arch}.rope.scaling.type") == "linear":
            inv /= float(meta[f"{arch}.rope.scaling.factor"])
        self.inv_freq = inv
        self.reset()

    def reset(self) -> None:
        empty = np.zeros((0, self.kv_heads, self.head_dim), dtype=np.float32)
        self.keys = [empty] * self.layers
        self.values = [empty] * self.layers
        self.position = 0

    def _norm(self, x: Array, name: str) -> Array:
        normed: Array = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps)
        return normed * self.weights[name]

    def _rope(self, x: Array, positions: Array) -> Array:
        """Rotate each pair ``(x[2i], x[2i+1])`` of every head by ``position * inv_freq[i]``."""
        angle = positions[:, None, None] * self.inv_freq  # [S, 1, head_dim / 2]
        cos, sin = np.cos(angle).astype(np.float32), np.sin(angle).astype(np.float32)
        even, odd = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = even * cos - odd * sin
        out[..., 1::2] = even * sin + odd * cos
        return out

    def forward(self, tokens: list[int]) -> Array:
        w, count = self.weights, len(tokens)
        x = w["token_embd.weight"][tokens]  # [S, hidden]
        positions = self.position + np.arange(count)
        group = self.heads // self.kv_heads
        for i in range(self.layers):
            p = f"blk.{i}."
            h = self._norm(x, p + "attn_norm.weight")
            q = (h @ w[p + "attn_q.weight"].T).reshape(count, self.heads, self.head_dim)
            k = (h @ w[p + "attn_k.weight"].T).reshape(count, self.kv_heads, self.head_dim)
            v = (h @ w[p + "attn_v.weight"].T).reshape(count, self.kv_heads, self.head_dim)
            self.keys[i] = np.concatenate([self.keys[i], self._rope(k, positions)])
            self.values[i] = np.concatenate([self.values[i], v])
            keys = np.repeat(self.keys[i], group, axis=1)  # query head j reads kv head j // group
            values = np.repeat(self.values[i], group, axis=1)
            scores = np.einsum("shd,thd->hst", self._rope(q, positions), keys)
            visible = np.arange(len(keys))[None, :] <= positions[:, None]  # causal: t <= s
            scores = np.where(visible, scores / np.sqrt(self.head_dim), -np.inf)
            probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
            probs /= probs.sum(axis=-1, keepdims=True)
            out = np.einsum("hst,thd->shd", probs, values).reshape(count, -1)
            x = x + out @ w[p + "attn_output.weight"].T
            h = self._norm(x, p + "ffn_norm.weight")
            gate, up = h @ w[p + "ffn_gate.weight"].T, h @ w[p + "ffn_up.weight"].T
            x = x + (gate / (1 + np.exp(-gate)) * up) @ w[p + "ffn_down.weight"].T
        self.position += count
        head = w.get("output.weight", w["token_embd.weight"])
        return np.asarray(head @ self._norm(x[-1], "output_norm.weight"), dtype=np.float32)


CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def add_chat_vocabulary(writer: gguf.GGUFWriter, size: int) -> None:
    """``size`` tokens: three ChatML control tokens, printable ASCII as byte-level BPE
    pieces (space is ``Ġ``), then merged pairs of letters, each with its merge."""
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    singles = ["Ġ" if byte == 32 else chr(byte) for byte in range(32, 127)]
    letters = "etaoinshrdl"
    pairs = [(a, b) for a in ("Ġ", *letters) for b in letters]
    pairs = pairs[: size - len(specials) - len(singles)]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("smollm")
    writer.add_token_list([*specials, *singles, *(a + b for a, b in pairs)])
    writer.add_token_types([3] * len(specials) + [1] * (size - len(specials)))
    writer.add_token_merges([f"{a} {b}" for a, b in pairs])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(False)
    writer.add_chat_template(CHATML)


def write_tiny_llama(
    path: Path,
    kind: GGMLQuantizationType,
    *,
    embedding: GGMLQuantizationType | None = None,
    tied: bool = True,
    arch: str = "llama",
    rope_freqs: bool = False,
    linear_rope: float | None = None,
    rope_dim: int | None = None,
    metadata: dict[str, int] | None = None,
    extra: dict[str, Array] | None = None,
    chat: bool = False,
    seed: int = 0,
) -> Path:
    """A 2-block Llama GGUF with random weights: 4 heads of 16, 2 KV heads, ``kind`` matrices.

    The sizes are multiples of 32, as every block type needs; the weights are scaled so that
    logits come out around 10 to 30, as a real model's do. ``metadata`` adds integer keys,
    ``extra`` tensors (to make files the builder must refuse). ``chat`` adds what a chat
    model's file has besides weights: a byte-level BPE vocabulary and a ChatML template.
    """
    rng = np.random.default_rng(seed)
    layers, hidden, heads, kv_heads, ffn, vocab = 2, 64, 4, 2, 96, 200
    head_dim = hidden // heads
    writer = gguf.GGUFWriter(path, arch)
    writer.add_block_count(layers)
    writer.add_context_length(64)
    writer.add_embedding_length(hidden)
    writer.add_feed_forward_length(ffn)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(rope_dim or head_dim)
    writer.add_vocab_size(vocab)
    if linear_rope:
        writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(linear_rope)
    for key, value in (metadata or {}).items():
        writer.add_uint32(key, value)
    if chat:
        add_chat_vocabulary(writer, vocab)

    def matrix(
        name: str, rows: int, cols: int, scale: float, as_kind: GGMLQuantizationType
    ) -> None:
        values = (rng.standard_normal((rows, cols)) * scale).astype(np.float32)
        if as_kind == GGMLQuantizationType.F32:
            writer.add_tensor(name, values)
        elif as_kind == GGMLQuantizationType.F16:
            writer.add_tensor(name, values.astype(np.float16))
        else:
            writer.add_tensor(name, quants.quantize(values, as_kind), raw_dtype=as_kind)

    def vector(name: str, size: int) -> None:
        writer.add_tensor(name, (1 + 0.1 * rng.standard_normal(size)).astype(np.float32))

    matrix("token_embd.weight", vocab, hidden, 1.0, kind if embedding is None else embedding)
    if not tied:
        matrix("output.weight", vocab, hidden, 0.2, kind)
    vector("output_norm.weight", hidden)
    if rope_freqs:
        writer.add_tensor("rope_freqs.weight", np.linspace(1, 8, head_dim // 2, dtype=np.float32))
    for name, tensor in (extra or {}).items():
        writer.add_tensor(name, tensor)
    for i in range(layers):
        p = f"blk.{i}."
        vector(p + "attn_norm.weight", hidden)
        vector(p + "ffn_norm.weight", hidden)
        matrix(p + "attn_q.weight", heads * head_dim, hidden, 0.3, kind)
        matrix(p + "attn_k.weight", kv_heads * head_dim, hidden, 0.3, kind)
        matrix(p + "attn_v.weight", kv_heads * head_dim, hidden, 0.3, kind)
        matrix(p + "attn_output.weight", hidden, heads * head_dim, 0.15, kind)
        matrix(p + "ffn_gate.weight", ffn, hidden, 0.15, kind)
        matrix(p + "ffn_up.weight", ffn, hidden, 0.15, kind)
        matrix(p + "ffn_down.weight", hidden, ffn, 0.15, kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
