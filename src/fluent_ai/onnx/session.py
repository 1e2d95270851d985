"""One way to open a built graph with ONNX Runtime: every core this process may use.

ONNX Runtime sizes its thread pool from the machine's core count, which inside a
container or under ``taskset`` is more cores than the process is allowed, and
oversubscribed threads spin against each other. The pool is sized from the CPU affinity
mask instead.

ONNX Runtime's exceptions (``Fail``, ``InvalidProtobuf``, ``NoSuchFile``...) derive from
:class:`Exception` itself, not from ``RuntimeError`` or ``OSError``; :func:`session_errors`
names them, so callers can catch exactly what opening or running a graph raises.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def available_cores() -> int:
    """The number of CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def open_session(
    path: Path, *, threads: int | None = None, providers: Sequence[Any] | None = None
) -> Any:
    """An ``onnxruntime.InferenceSession`` for the graph at ``path``, on the CPU by default.

    ``threads`` defaults to :func:`available_cores`. Graph optimisations are all on:
    they fuse the builder's plain operators into ONNX Runtime's faster kernels.
    ``providers`` replaces the CPU with other execution providers, in ONNX Runtime's
    own form (``[("CUDAExecutionProvider", {"device_id": 0}), "CPUExecutionProvider"]``).
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or available_cores()
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # warnings about unused initializers are not the user's
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=list(providers or ["CPUExecutionProvider"])
    )


def session_errors() -> tuple[type[Exception], ...]:
    """What opening or running a session raises: ONNX Runtime's own errors, and the OS's."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    names = (
        *("Fail", "InvalidArgument", "InvalidGraph", "InvalidProtobuf", "NoSuchFile"),
        *("NotImplemented", "RuntimeException", "EPFail", "ModelLoaded", "EngineError"),
    )
    found = tuple(getattr(state, name) for name in names if hasattr(state, name))
    return (*found, OSError, RuntimeError, ValueError, MemoryError)
