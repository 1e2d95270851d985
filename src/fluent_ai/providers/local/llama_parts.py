"""The parts of the Llama graph that hold weights: products, the token lookup, norms.

:class:`WeightedGraph` adds each weight once, streamed to disk as it is added (a tied head
and the embedding table share theirs), and turns the matrices of :mod:`.quant` into ONNX
Runtime's fastest exact kernels for them:

* 4-bit blocks: ``MatMulNBits`` with float32 activations (``accuracy_level`` 0). Its int8
  activations (level 4) are 2.5 times faster per product (SmolLM2's whole decoder: 1.5
  times), but move SmolLM2's logits by up to 0.7 of 25 against float32, enough to change
  its first answer to "What is the capital of France?" from "The" to "L".
* 8-bit blocks: ONNX Runtime's CPU kernels have a fast path only for int8 activations
  (float32 ones are dequantized whole on every call, 200 times slower), so the product
  is taken twice at level 4: of ``x`` and of ``x``'s int8 rounding error, whose sum is
  250 times closer to float32 than one pass (SmolLM2's tied head: error 0.26 of 25 down
  to 0.001; its first answer token leads by 0.08).
* ``Q4_1``'s per-block offsets (see :mod:`.quant`): ``block_sums(x) @ offsets.T``, each
  offset times the sum of the 32 inputs it multiplies, added by one ``Gemm``.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType

from fluent_ai.onnx.graph import MICROSOFT, Graph
from fluent_ai.providers.local import quant
from fluent_ai.providers.local.gguf_model import GGUFModel

_FLOAT = 1  # onnx.TensorProto.FLOAT


class WeightedGraph:
    """A graph under construction, with the GGUF file its weights come from."""

    def __init__(self, model: GGUFModel, out_path: Path) -> None:
        self.model = model
        self.config = model.config
        self.g = Graph("llama", out_path)
        self._names: dict[int, tuple[weakref.ref[quant.Array], str]] = {}
        self._block_sums: dict[int, str] = {}

    def weight(self, name: str, array: quant.Array) -> str:
        """``array`` as an initializer, once: the tied head and the table share theirs.

        Arrays are known by identity, through weak references: the graph streams each one
        to disk, so holding them all would hold every weight in memory until the end.
        """
        known = self._names.get(id(array))
        if known is None or known[0]() is not array:  # new, or a dead array's id reused
            known = (weakref.ref(array), self.g.weight(name, array))
            self._names[id(array)] = known
        return known[1]

    def linear(self, x: str, w: quant.Matrix, name: str, out: str | None = None) -> str:
        """``x @ w.T`` as the module docstring says; ``out`` names the result."""
        g = self.g
        named = [out] if out else None
        if isinstance(w, np.ndarray):
            weight = self.weight(name, np.ascontiguousarray(w.T))
            return str(g.op("MatMul", x, weight, output_names=named))
        last = None if w.offsets is not None else out
        if w.bits == 4:
            y = self.nbits(x, w, name, accuracy_level=0, out=last)
        else:
            rough = self.nbits(x, w, name, accuracy_level=4)
            fine = self.nbits(self.int8_error(x), w, name, accuracy_level=4)
            y = g.op("Add", rough, fine, output_names=[last] if last else None)
        if w.offsets is None:
            return str(y)
        if w.k not in self._block_sums:  # [K, K/32], ones where input k is in block b
            ones = np.kron(np.eye(w.k // quant.BLOCK, dtype=np.float32), np.ones((quant.BLOCK, 1)))
            self._block_sums[w.k] = g.weight(f"block_sums.{w.k}", ones.astype(np.float32))
        sums = g.op("MatMul", x, self._block_sums[w.k])
        offsets = self.weight(f"{name}.offsets", w.offsets)
        return str(g.op("Gemm", sums, offsets, y, transB=1, output_names=named))

    def nbits(
        self, x: str, w: quant.Blocks, name: str, accuracy_level: int, out: str | None = None
    ) -> str:
        """One ``MatMulNBits``, ``x @ w.T``, at ``accuracy_level``."""
        return str(
            self.g.op(
                "MatMulNBits",
                x,
                self.weight(f"{name}.q", w.data),
                self.weight(f"{name}.scales", w.scales),
                domain=MICROSOFT,
                K=w.k,
                N=w.n,
                bits=w.bits,
                block_size=quant.BLOCK,
                accuracy_level=accuracy_level,
                output_names=[out] if out else None,
            )
        )

    def int8_error(self, x: str) -> str:
        """``x`` minus ``x`` quantized as ``MatMulNBits`` does it at accuracy level 4:
        symmetric int8 in blocks of 32, scale ``max|x| / 127``."""
        g, c = self.g, self.g.constant
        blocks = g.op("Reshape", x, c([0, -1, quant.BLOCK]))
        scale = g.op("Div", g.op("ReduceMax", g.op("Abs", blocks), c([-1])), c(127.0))
        inverse = g.op("Reciprocal", g.op("Max", scale, c(float(np.finfo(np.float32).tiny))))
        rounded = g.op("Mul", g.op("Round", g.op("Mul", blocks, inverse)), scale)
        return str(g.op("Reshape", g.op("Sub", blocks, rounded), c([0, -1])))

    def project(self, x: str, names: list[str], rows: list[int]) -> str | list[str]:
        """``x`` times the matrices ``names``: one output if they stack, else one each."""
        cols = self.config.hidden
        parts = [self.model.matrix(n, r, cols) for n, r in zip(names, rows, strict=True)]
        fused = quant.stack(parts)
        if fused is None:
            return [self.linear(x, w, n) for w, n in zip(parts, names, strict=True)]
        return self.linear(x, fused, "+".join(names))

    def embedding(self, ids: str) -> tuple[str, quant.Matrix]:
        """The token vectors ``[S, hidden]``, and the table as a matrix for a tied head.

        Blocks are looked up by ``GatherBlockQuantized`` in the very initializers the tied
        head multiplies by, and never expanded; ``Q4_1``'s offsets are gathered and added.
        ``F16`` is gathered as float16 and cast, other float tables as they are.
        """
        g, cfg, name = self.g, self.config, "token_embd.weight"
        table = self.model.matrix(name, cfg.vocab, cfg.hidden)
        flat = g.constant([-1, cfg.hidden])
        ids = g.op("Reshape", ids, g.constant([-1]))
        if isinstance(table, np.ndarray):
            if self.model.kind(name) == GGMLQuantizationType.F16:
                half = self.weight("token_embd.f16", table.astype(np.float16))
                return str(g.op("Cast", g.op("Gather", half, ids), to=_FLOAT)), table
            return str(g.op("Gather", self.weight("token_embd", table), ids)), table
        rows = g.op(
            "GatherBlockQuantized",
            self.weight("token_embd.q", table.data),
            ids,
            self.weight("token_embd.row_scales", table.scales[..., None]),
            domain=MICROSOFT,
            bits=table.bits,
            block_size=quant.BLOCK,
            gather_axis=0,
            quantize_axis=2,
        )
        if table.offsets is not None:
            offsets = g.op("Gather", self.weight("token_embd.offsets", table.offsets), ids)
            rows = g.op("Add", rows, g.op("Unsqueeze", offsets, g.constant([-1])))
        return str(g.op("Reshape", rows, flat)), table

    def norm(self, x: str, name: str, residual: str | None = None) -> tuple[str, str]:
        """``(rms_norm(x + residual), x + residual)``, in one kernel; ``x`` alone without one."""
        weight = self.weight(name, self.model.vector(name))
        eps = self.config.rms_eps
        if residual is None:
            return str(self.g.op("SimplifiedLayerNormalization", x, weight, epsilon=eps)), x
        op = "SkipSimplifiedLayerNormalization"
        out = self.g.op(op, x, residual, weight, domain=MICROSOFT, epsilon=eps, outputs=4)
        return out[0], out[3]
