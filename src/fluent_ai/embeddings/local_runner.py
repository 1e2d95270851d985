"""Texts to vectors with the built graph: tokenize, sort, pad per run, run on every core.

On the CPU the session is single-threaded and one batch is cut into as many runs as
the process has cores, run side by side (ONNX Runtime's ``run`` is thread-safe and
releases the GIL). Measured on 2 shared cores with batches of 32 short sentences, this
embedded about 5% more texts per second than one run on a two-thread pool at best,
and 1.5x as many when another process was busy on the machine: a pool waits for its
slowest thread at every one of the graph's hundred kernels, independent runs never wait.
The cost is that a batch of one text uses one core.

Within a batch the texts are sorted by length, so each run pads to the longest text
of similar ones rather than of the whole batch; the vectors are put back in order.
On a GPU the batch is one run.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from fluent_ai.onnx.session import available_cores, open_session
from fluent_ai.types.errors import ConfigurationError, LocalModelError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

CUDA_HINT = (
    "device='cuda' needs ONNX Runtime's CUDA build, which replaces the CPU one: "
    "`pip uninstall onnxruntime && pip install onnxruntime-gpu` (it also needs the CUDA 12 "
    "and cuDNN 9 libraries); or pass device='cpu'"
)


@dataclass(frozen=True, slots=True)
class Device:
    """Where the graph runs: ``cpu``, or the NVIDIA GPU ``cuda:index``."""

    kind: Literal["cpu", "cuda"] = "cpu"
    index: int = 0

    @classmethod
    def parse(cls, device: str | None) -> Device:
        """``None`` or ``"cpu"``, ``"cuda"``, ``"cuda:1"``; anything else is refused."""
        name = (device or "cpu").strip().lower()
        if name == "cpu":
            return cls("cpu")
        kind, _, index = name.partition(":")
        if kind == "cuda" and (index == "" or index.isdigit()):
            return cls("cuda", int(index or 0))
        raise ConfigurationError(
            f"unknown device {device!r} for local embeddings: pass None or 'cpu' for the "
            "CPU, or 'cuda' / 'cuda:N' for an NVIDIA GPU (with onnxruntime-gpu installed)",
            provider="local",
        )

    def __str__(self) -> str:
        return "cpu" if self.kind == "cpu" else f"cuda:{self.index}"

    @property
    def runs_per_batch(self) -> int:
        return available_cores() if self.kind == "cpu" else 1

    def check_available(self) -> None:
        """Raise :class:`LocalModelError` saying what to install when ONNX Runtime lacks it."""
        if self.kind == "cuda":
            import onnxruntime

            if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
                raise LocalModelError(CUDA_HINT, provider="local")

    def open_session(self, graph: Path) -> Any:
        if self.kind == "cpu":
            return open_session(graph, threads=1)
        cuda = ("CUDAExecutionProvider", {"device_id": self.index})
        session = open_session(graph, providers=[cuda, "CPUExecutionProvider"])
        if session.get_providers()[0] != "CUDAExecutionProvider":
            # ONNX Runtime falls back to the CPU, with only a log line, when CUDA fails
            raise LocalModelError(
                f"ONNX Runtime could not start CUDA on {self}: the GPU or the CUDA and "
                f"cuDNN libraries were not found. {CUDA_HINT}",
                provider="local",
            )
        return session


class Runner:
    """The session and tokenizer of one loaded model; one ``encode`` at a time.

    The lock keeps concurrent callers from interleaving their runs on the worker
    threads (each batch already uses every core) and from sharing the tokenizer.
    """

    def __init__(self, session: Any, tokenizer: Any, device: Device) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.device = device
        self.dimensions = int(session.get_outputs()[0].shape[-1])
        self.runs_per_batch = device.runs_per_batch
        self._lock = threading.Lock()
        self._pool = (
            ThreadPoolExecutor(self.runs_per_batch - 1, thread_name_prefix="fluent-ai-embed")
            if self.runs_per_batch > 1
            else None
        )

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit vector per text, in order, as a ``[len(texts), dimensions]`` array."""
        import numpy as np

        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts must be str, but text {index} is {type(text).__name__}")
        out = np.empty((len(texts), self.dimensions), np.float32)
        if not texts:
            return out
        with self._lock:
            encodings = self.tokenizer.encode_batch(list(texts))
            lengths = np.array([len(encoding.ids) for encoding in encodings], np.int64)
            order = np.argsort(-lengths, kind="stable")
            groups = _balanced(order, lengths[order], min(self.runs_per_batch, len(texts)))
            pending: list[tuple[Any, Future[Any]]] = []
            try:
                if self._pool is not None:
                    for rows in groups[1:]:
                        pending.append(
                            (rows, self._pool.submit(self._run, encodings, rows, lengths))
                        )
                out[groups[0]] = self._run(encodings, groups[0], lengths)
                for rows, future in pending:
                    out[rows] = future.result()
            finally:
                wait([future for _, future in pending])  # never leave a run behind the lock
        return out

    def _run(self, encodings: list[Any], rows: Any, lengths: Any) -> Any:
        """Run the texts ``rows`` (indices into ``encodings``), padded to their longest."""
        import numpy as np

        from fluent_ai.onnx.session import session_errors

        width = int(lengths[rows].max())
        ids = np.zeros((len(rows), width), np.int64)
        for row, index in enumerate(rows):
            ids[row, : lengths[index]] = encodings[index].ids
        mask = (np.arange(width) < lengths[rows][:, None]).astype(np.int64)
        try:
            return self.session.run(["embeddings"], {"input_ids": ids, "attention_mask": mask})[0]
        except session_errors() as exc:
            raise LocalModelError(
                f"encoding {len(rows)} texts of up to {width} word pieces on {self.device} "
                f"failed: {type(exc).__name__}: {exc}",
                provider="local",
            ) from exc


def _balanced(order: Any, sorted_lengths: Any, parts: int) -> list[Any]:
    """``order`` cut into ``parts`` consecutive groups of about equal total length."""
    import numpy as np

    if parts <= 1:
        return [order]
    total = np.cumsum(sorted_lengths)
    cuts = np.searchsorted(total, total[-1] * np.arange(1, parts) / parts) + 1
    cuts = np.unique(np.clip(cuts, 1, len(order) - 1))
    return [group for group in np.split(order, cuts) if len(group)]
