"""The Llama graph run token by token, with its KV cache kept in place.

A decoder step must not cost more than its matrix products. Passing the cache as ordinary
inputs and outputs copies all of it on every token (SmolLM2's is 46 MB at a thousand
tokens; measured there, 27 tokens a second instead of 67), so the cache is instead one
buffer per layer of the full capacity, bound with :class:`onnxruntime.IOBinding` as both
``past`` and ``present``: ``GroupQueryAttention`` sees the same memory on both sides,
writes the new positions in place and reads only the positions in use. Nothing is
allocated or copied per token but the token ids and the logits.

The buffers are one anonymous memory map, so the pages of the capacity not yet written are
never touched and cost no memory: a short chat with an 8192-token window holds a few
megabytes of cache, not 377. :meth:`LlamaRunner.reset` hands the pages back.

Prompts are fed in chunks of :data:`PREFILL_CHUNK` tokens, which keeps attention's
score matrix, a chunk by the whole cache, small whatever the prompt's length.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fluent_ai.onnx.session import open_session
from fluent_ai.providers.local.llama_config import CONFIG_FILE, GRAPH_FILE, LlamaConfig, read_config
from fluent_ai.types import ContextLengthExceededError, LocalModelError

PREFILL_CHUNK = 256
"""Tokens per prompt chunk: large enough that the matrix products run at full speed."""


class LlamaRunner:
    """One sequence through a built Llama graph: :meth:`forward` new tokens, get logits."""

    def __init__(
        self, session: Any, config: LlamaConfig, *, context_window: int | None = None
    ) -> None:
        import onnxruntime

        window = context_window or config.context_length
        if not 0 < window <= config.context_length:
            raise LocalModelError(
                f"a context window of {window} tokens does not fit the model's "
                f"{config.context_length}",
                provider="local",
            )
        self.config = config
        self.context_window = window
        self._session = session
        self._binding = session.io_binding()
        shape = (config.layers, 2, 1, config.kv_heads, window, config.head_dim)
        self._memory = mmap.mmap(-1, int(np.prod(shape)) * 4)
        self._cache = np.frombuffer(self._memory, dtype=np.float32).reshape(shape)
        self._values = []  # the OrtValues over the cache, kept with the buffers they view
        for i in range(config.layers):
            for j, kind in enumerate(("key", "value")):
                value = onnxruntime.OrtValue.ortvalue_from_numpy(self._cache[i, j])
                self._binding.bind_ortvalue_input(f"past_{kind}.{i}", value)
                self._binding.bind_ortvalue_output(f"present_{kind}.{i}", value)
                self._values.append(value)
        self._logits = np.zeros((1, config.vocab), dtype=np.float32)
        self._binding.bind_output(
            "logits", "cpu", 0, np.float32, [1, config.vocab], self._logits.ctypes.data
        )
        self.tokens: list[int] = []
        """The tokens whose keys and values the cache holds, in order."""

    @classmethod
    def open(
        cls, graph_dir: Path, *, threads: int | None = None, context_window: int | None = None
    ) -> LlamaRunner:
        """The runner of the graph that :func:`.llama_graph.build_llama_graph` wrote in
        ``graph_dir``, its cache sized ``context_window`` (default: the model's)."""
        config = read_config(graph_dir / CONFIG_FILE)
        try:
            session = open_session(graph_dir / GRAPH_FILE, threads=threads)
        except Exception as exc:  # onnxruntime's exception types are not exported
            raise LocalModelError(
                f"could not open {graph_dir / GRAPH_FILE}: {exc}", provider="local"
            ) from exc
        return cls(session, config, context_window=context_window)

    @property
    def position(self) -> int:
        """Tokens in the cache: the next token's position."""
        return len(self.tokens)

    def reset(self) -> None:
        """Forget the sequence; the cache's pages go back to the system."""
        self.tokens = []
        if hasattr(mmap, "MADV_DONTNEED"):  # not on Windows, where the pages simply stay
            self._memory.madvise(mmap.MADV_DONTNEED)

    def truncate(self, length: int) -> None:
        """Keep only the first ``length`` cached tokens (a shared prefix), drop the rest.

        Nothing is moved: the positions past ``length`` are simply written over next, which
        is exact, since attention never reads a position beyond the sequence.
        """
        if not 0 <= length <= self.position:
            raise ValueError(f"cannot truncate {self.position} cached tokens to {length}")
        del self.tokens[length:]

    def start(self, prompt: Sequence[int]) -> np.ndarray[Any, Any]:
        """Run ``prompt`` as a new sequence; the logits for the token after it.

        A chat resends the whole conversation each turn, and the cache still holds the
        last one: only what follows the longest prefix they share is run again, so the
        second turn of a long conversation starts as quickly as the first. At least the
        prompt's last token is always run, since its logits are what comes next.
        """
        shared = 0
        for old, new in zip(self.tokens, prompt[:-1], strict=False):
            if old != new:
                break
            shared += 1
        if shared:
            self.truncate(shared)
        else:
            self.reset()
        return self.forward(prompt[shared:])

    def forward(self, token_ids: Sequence[int]) -> np.ndarray[Any, Any]:
        """Append ``token_ids`` to the sequence; the float32 logits for the next token.

        Raises :class:`ContextLengthExceededError`, running nothing, when they do not fit
        the window, and :class:`ValueError` for no tokens or ids outside the vocabulary.
        """
        ids = np.asarray(token_ids, dtype=np.int64).reshape(1, -1)
        count = ids.shape[1]
        if count == 0:
            raise ValueError("forward needs at least one token")
        if self.position + count > self.context_window:
            raise ContextLengthExceededError(
                f"{self.position} cached and {count} new tokens exceed the context window "
                f"of {self.context_window}",
                provider="local",
            )
        if ids.min() < 0 or ids.max() >= self.config.vocab:
            raise ValueError(f"token ids must lie in [0, {self.config.vocab})")
        for start in range(0, count, PREFILL_CHUNK):
            self._run(ids[:, start : start + PREFILL_CHUNK])
            self.tokens.extend(ids[0, start : start + PREFILL_CHUNK].tolist())
        logits: np.ndarray[Any, Any] = self._logits[0].copy()
        return logits

    def _run(self, ids: np.ndarray[Any, Any]) -> None:
        total = self.position + ids.shape[1]
        binding = self._binding
        binding.bind_cpu_input("input_ids", ids)
        binding.bind_cpu_input("seqlens_k", np.array([total - 1], dtype=np.int32))
        binding.bind_cpu_input("total_sequence_length", np.array(total, dtype=np.int32))
        try:
            self._session.run_with_iobinding(binding)
        except Exception as exc:  # onnxruntime's exception types are not exported
            raise LocalModelError(f"the local model failed: {exc}", provider="local") from exc
