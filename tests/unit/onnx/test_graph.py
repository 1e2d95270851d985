"""The graph builder: nodes with fresh names, weights streamed to the data file, a session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fluent_ai.onnx.graph import Graph
from fluent_ai.onnx.session import open_session


def test_a_built_graph_runs_and_keeps_its_weights_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "g" / "model.onnx"
    g = Graph("affine", path)
    x = g.input("x", np.float32, ["batch", 4])
    weight = np.arange(4096, dtype=np.float32).reshape(4, 1024) / 1000
    y = g.op("Add", g.op("MatMul", x, g.weight("w", weight)), g.constant(1.0))
    g.output(y, "y", np.float32, ["batch", 1024])
    g.save()
    data = path.parent / "model.onnx.data"
    assert data.stat().st_size >= weight.nbytes
    assert path.stat().st_size < weight.nbytes  # the graph itself holds no weight bytes
    inputs = np.ones((2, 4), dtype=np.float32)
    (result,) = open_session(path, threads=1).run(None, {"x": inputs})
    np.testing.assert_allclose(result, inputs @ weight + 1.0, rtol=1e-6)


def test_equal_constants_are_one_initializer(tmp_path: Path) -> None:
    g = Graph("consts", tmp_path / "model.onnx")
    assert g.constant([1, 2]) == g.constant([1, 2])
    assert g.constant([1, 2]) != g.constant([2, 1])
    assert g.fresh("x") != g.fresh("x")


def test_a_graph_is_saved_once(tmp_path: Path) -> None:
    g = Graph("empty", tmp_path / "model.onnx")
    x = g.input("x", np.float32, [1])
    g.output(x, "x", np.float32, [1])
    g.save()
    with pytest.raises(ValueError, match="already saved"):
        g.save()
