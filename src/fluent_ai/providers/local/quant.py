"""GGUF weight blocks repacked, bit for bit, into ONNX Runtime's ``MatMulNBits`` layout.

GGUF's legacy quantizations store a matrix row by row in blocks of 32 weights, each block a
small float scale and packed integers. ``MatMulNBits`` (``com.microsoft``) stores the same
thing: ``B[N, K/32, 32*bits/8]`` packed integers and ``scales[N, K/32]``, and computes
``(q - 2**(bits-1)) * scale`` when no zero points are given. So:

* ``Q4_0`` (``d * (q - 8)``) is 4 bits, scale ``d``;
* ``Q8_0`` (``d * q``, ``q`` signed) is 8 bits holding ``q + 128``, scale ``d``;
* ``Q4_1`` (``d * q + m``) is ``d * (q - 8) + (m + 8d)``: 4 bits, scale ``d``, plus a
  per-block **offset** ``m + 8d``. The graph adds the offset's share of a product,
  ``sum over blocks of offset * (sum of the block's inputs)``, with a small float matmul
  beside ``MatMulNBits`` (see :mod:`.llama_parts`);
* ``Q5_0`` and ``Q5_1`` are 8 bits holding ``q + 112`` (``q - 16`` centred on 128), with
  ``Q5_1``'s offset ``m + 16d``, at one byte a weight rather than five eighths.

Every weight of these is the value llama.cpp decodes, to float32 rounding: nothing is
re-quantized. ``MatMulNBits`` could take ``Q4_1`` directly, with the float zero point
``-m / d``, but ONNX Runtime's CPU kernels have no fast path for float zero points:
measured, such a product is 35 times slower than with the default zero point (6.2 ms
against 0.18 ms for a 3072x576 matrix), so the offset is kept out of the kernel instead.

Only the nibble order differs from GGUF: it keeps element ``j`` of a block in the low nibble
of byte ``j`` and element ``j + 16`` in its high nibble, ``MatMulNBits`` keeps elements
``2i`` and ``2i + 1`` in byte ``i``, so 4-bit blocks are unpacked and packed again.

The k-quants (``Q2_K`` to ``Q6_K``) and the ``IQ`` types are **re-quantized**: dequantized
to float32 by ``gguf.quants``, then quantized again to 8-bit symmetric blocks of 32 (a
``Q8_0`` of their own). That is not exact: each weight moves by at most 1/254 of its
block's largest magnitude, well below the source's own 2- to 6-bit step. (The k-quants'
sub-blocks are affine too and could be mapped exactly, ``Q4_K`` to 4 bits with offsets and
``Q6_K`` to 8-bit blocks of 16; not done yet.) Float weights (``F32``, ``F16``, ``BF16``)
stay float32.

All of it is whole-array numpy: a 28-million-weight matrix repacks in tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from gguf import GGMLQuantizationType, quants

from fluent_ai.types import LocalModelError

F32 = np.float32
Array = np.ndarray[Any, Any]

BLOCK = 32
"""Weights per block in every layout written here (GGUF's legacy block, ``MatMulNBits``'s)."""

EXACT_TYPES = frozenset(
    {
        GGMLQuantizationType.Q4_0,
        GGMLQuantizationType.Q4_1,
        GGMLQuantizationType.Q5_0,
        GGMLQuantizationType.Q5_1,
        GGMLQuantizationType.Q8_0,
        GGMLQuantizationType.F32,
        GGMLQuantizationType.F16,
        GGMLQuantizationType.BF16,
    }
)
"""Types carried into the graph exactly: repacked, or kept as float."""

_REQUANTIZED = "Q2_K Q3_K Q4_K Q5_K Q6_K IQ1_S IQ1_M IQ2_XXS IQ2_XS IQ2_S IQ3_XXS IQ3_S"
_REQUANTIZED += " IQ4_NL IQ4_XS"
REQUANTIZED_TYPES = frozenset(GGMLQuantizationType[name] for name in _REQUANTIZED.split())
"""Types dequantized by ``gguf.quants`` and re-quantized to 8-bit blocks of 32."""

SUPPORTED_TYPES = EXACT_TYPES | REQUANTIZED_TYPES


@dataclass(frozen=True, slots=True)
class Blocks:
    """An ``[N, K]`` matrix in ``MatMulNBits``' layout, plus optional per-block offsets.

    Weight ``[n, 32*b + j]`` is ``(q - 2**(bits-1)) * scales[n, b] + offsets[n, b]``:
    ``data`` is ``uint8[N, K/32, 32*bits/8]``, ``scales`` and ``offsets`` ``float32[N, K/32]``
    (``offsets`` ``None`` when they are all zero).
    """

    bits: int
    data: Array
    scales: Array
    offsets: Array | None = None

    @property
    def n(self) -> int:
        return int(self.data.shape[0])

    @property
    def k(self) -> int:
        return int(self.data.shape[1]) * BLOCK


Matrix = Blocks | Array
"""A weight matrix as the graph takes it: blocks, or float32 ``[N, K]``."""


def _split_blocks(raw: Array, n: int, k: int, block_bytes: int) -> Array:
    """GGUF row bytes ``[N, K/32 * block_bytes]`` viewed as ``[N, K/32, block_bytes]``."""
    return np.ascontiguousarray(raw, dtype=np.uint8).reshape(n, k // BLOCK, block_bytes)


def _half(blocks: Array, start: int) -> Array:
    """The fp16 field at byte ``start`` of every block, as float32 ``[N, K/32]``."""
    half: Array = np.ascontiguousarray(blocks[..., start : start + 2]).view(np.float16)
    return half[..., 0].astype(F32)


def _pack_nibbles(values: Array) -> Array:
    """``[..., 32]`` values in 0..15 packed ``MatMulNBits``' way: ``2i`` low, ``2i+1`` high."""
    packed: Array = (values[..., 0::2] | (values[..., 1::2] << 4)).astype(np.uint8)
    return packed


def _gguf_nibbles(qs: Array) -> Array:
    """GGUF's 16 bytes a block (``j`` low, ``j + 16`` high) as ``[..., 32]`` values."""
    return np.concatenate([qs & 0x0F, qs >> 4], axis=-1)


def q4_0(raw: Array, n: int, k: int) -> Blocks:
    """``Q4_0``: fp16 ``d`` then 16 bytes; weight ``d * (q - 8)``."""
    blocks = _split_blocks(raw, n, k, 18)
    return Blocks(4, _pack_nibbles(_gguf_nibbles(blocks[..., 2:])), _half(blocks, 0))


def q4_1(raw: Array, n: int, k: int) -> Blocks:
    """``Q4_1``: fp16 ``d``, fp16 ``m``, 16 bytes; weight ``d * q + m = d * (q - 8) + (m + 8d)``."""
    blocks = _split_blocks(raw, n, k, 20)
    d, m = _half(blocks, 0), _half(blocks, 2)
    return Blocks(4, _pack_nibbles(_gguf_nibbles(blocks[..., 4:])), d, m + F32(8) * d)


def _q5(blocks: Array, start: int) -> Array:
    """The 5-bit values of blocks whose 4 high-bit bytes start at ``start``, 16 nibbles after."""
    high_bits = np.ascontiguousarray(blocks[..., start : start + 4]).view("<u4")
    high = (high_bits >> np.arange(32, dtype=np.uint32)) & 1  # bit j is element j's 5th bit
    values: Array = _gguf_nibbles(blocks[..., start + 4 :]) | (high.astype(np.uint8) << 4)
    return values


def q5_0(raw: Array, n: int, k: int) -> Blocks:
    """``Q5_0``: fp16 ``d``, 4 bytes of 5th bits, 16 bytes; ``d * (q - 16)``, 8-bit ``q + 112``."""
    blocks = _split_blocks(raw, n, k, 22)
    return Blocks(8, _q5(blocks, 2) + np.uint8(112), _half(blocks, 0))


def q5_1(raw: Array, n: int, k: int) -> Blocks:
    """``Q5_1``: fp16 ``d`` and ``m``, then as ``Q5_0``; ``d * q + m = d * (q - 16) + m + 16d``."""
    blocks = _split_blocks(raw, n, k, 24)
    d, m = _half(blocks, 0), _half(blocks, 2)
    return Blocks(8, _q5(blocks, 4) + np.uint8(112), d, m + F32(16) * d)


def q8_0(raw: Array, n: int, k: int) -> Blocks:
    """``Q8_0``: fp16 ``d`` then 32 signed bytes; weight ``d * q``, stored as ``q + 128``."""
    blocks = _split_blocks(raw, n, k, 34)
    data = (blocks[..., 2:] ^ 0x80).astype(np.uint8)  # int8 two's complement + 128
    return Blocks(8, np.ascontiguousarray(data), _half(blocks, 0))


def requantize_8bit(weights: Array) -> Blocks:
    """Float ``[N, K]`` (``K`` a multiple of 32) as symmetric 8-bit blocks of 32."""
    n, k = weights.shape
    blocks = weights.astype(F32).reshape(n, k // BLOCK, BLOCK)
    scale = np.abs(blocks).max(axis=-1) / F32(127)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(scale[..., None] > 0, np.rint(blocks / scale[..., None]), 0)
    data = (np.clip(q, -127, 127) + 128).astype(np.uint8)
    return Blocks(8, data, scale.astype(F32))


_EXACT = {
    GGMLQuantizationType.Q4_0: q4_0,
    GGMLQuantizationType.Q4_1: q4_1,
    GGMLQuantizationType.Q5_0: q5_0,
    GGMLQuantizationType.Q5_1: q5_1,
    GGMLQuantizationType.Q8_0: q8_0,
}


def matrix(kind: GGMLQuantizationType, raw: Array, n: int, k: int) -> Matrix:
    """The GGUF tensor ``raw`` (``n`` rows of ``k``) as ``MatMulNBits`` blocks or float32."""
    if kind in _EXACT:
        return _EXACT[kind](raw, n, k)
    if kind in (GGMLQuantizationType.F32, GGMLQuantizationType.F16, GGMLQuantizationType.BF16):
        return dequantize(kind, raw).reshape(n, k)
    if kind in REQUANTIZED_TYPES and k % BLOCK == 0:
        return requantize_8bit(dequantize(kind, raw).reshape(n, k))
    raise LocalModelError(
        f"GGUF tensor type {kind.name} ({n}x{k}) is not supported; supported: "
        f"{', '.join(sorted(t.name for t in SUPPORTED_TYPES))}",
        provider="local",
    )


def dequantize(kind: GGMLQuantizationType, raw: Array) -> Array:
    """Any supported GGUF tensor as float32, through ``gguf.quants``."""
    return np.asarray(quants.dequantize(np.asarray(raw), kind), dtype=F32)


def stack(parts: list[Matrix]) -> Matrix | None:
    """``parts`` concatenated along N (one matmul for Q, K and V), or ``None`` if they differ.

    Blocks stack when their bits agree (a ``Q4_K_M`` file's ``Q4_K`` and ``Q6_K`` do, both
    re-quantized to 8 bits; ``Q4_1`` and ``Q8_0`` do not), float matrices always.
    """
    dense = [p for p in parts if isinstance(p, np.ndarray)]
    if len(dense) == len(parts):
        return np.concatenate(dense, axis=0)
    blocks = [p for p in parts if isinstance(p, Blocks)]
    if len(blocks) != len(parts) or len({b.bits for b in blocks}) != 1:
        return None
    offsets = None
    if any(b.offsets is not None for b in blocks):
        offsets = np.concatenate(
            [b.offsets if b.offsets is not None else np.zeros_like(b.scales) for b in blocks]
        )
    return Blocks(
        blocks[0].bits,
        np.concatenate([b.data for b in blocks]),
        np.concatenate([b.scales for b in blocks]),
        offsets,
    )
