"""A thin builder over :mod:`onnx.helper`: nodes with fresh names, weights as initializers.

Hand-written graphs need hundreds of intermediate names; :meth:`Graph.op` makes them, so a
builder reads like the forward pass it encodes (``x = g.op("Mul", x, scale)``). Weights are
stored as external data next to the graph file, so ONNX Runtime reads them without a
protobuf copy and the 2 GB protobuf limit never applies.

A graph is told its file up front (``Graph(name, path)``) and writes each weight to the
data file the moment it is added, keeping only a reference: building it holds one weight
at a time in memory, not every weight several times over (protobuf copies each message
it is handed, and serialising copies again).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MICROSOFT = "com.microsoft"
"""ONNX Runtime's contrib operator domain (MatMulNBits, GroupQueryAttention, ...)."""

OPSET = 21

_EXTERNAL_MIN = 1024
"""Weights this large or larger go to the data file; smaller ones stay in the graph."""

_ALIGN = 4096
"""Offsets of weights in the data file are page-aligned, so they can be memory-mapped."""

_DTYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float16): TensorProto.FLOAT16,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.bool_): TensorProto.BOOL,
}


def tensor_type(dtype: Any) -> int:
    """The ONNX element type of a numpy dtype."""
    return _DTYPES[np.dtype(dtype)]


class Graph:
    """Collects nodes, initializers, inputs and outputs; :meth:`save` writes the model."""

    def __init__(self, name: str, path: Path) -> None:
        """``path`` is where :meth:`save` writes the graph; weights are streamed to its data
        file, ``path`` + ``.data``, as they are added."""
        self.name = name
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._data: BinaryIO | None = (path.parent / (path.name + ".data")).open("wb")
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.inputs: list[onnx.ValueInfoProto] = []
        self.outputs: list[onnx.ValueInfoProto] = []
        self._count = 0
        self._constants: dict[tuple[str, bytes], str] = {}

    def fresh(self, hint: str) -> str:
        """A name not used before in this graph."""
        self._count += 1
        return f"{hint}_{self._count}"

    def input(self, name: str, dtype: Any, shape: list[int | str]) -> str:
        self.inputs.append(helper.make_tensor_value_info(name, tensor_type(dtype), shape))
        return name

    def output(self, value: str, name: str, dtype: Any, shape: list[int | str]) -> None:
        """Expose ``value`` as the graph output ``name``."""
        if value != name:
            self.nodes.append(helper.make_node("Identity", [value], [name]))
        self.outputs.append(helper.make_tensor_value_info(name, tensor_type(dtype), shape))

    def weight(self, name: str, array: np.ndarray[Any, Any]) -> str:
        """Add ``array`` as an initializer called ``name`` and return the name."""
        array = np.ascontiguousarray(array)
        if self._data is None or array.nbytes < _EXTERNAL_MIN:
            self.initializers.append(numpy_helper.from_array(array, name))
            return name
        offset = -(-self._data.tell() // _ALIGN) * _ALIGN
        self._data.seek(offset)
        self._data.write(array.reshape(-1).view(np.uint8).data)
        tensor = onnx.TensorProto(name=name, data_type=tensor_type(array.dtype))
        tensor.dims.extend(array.shape)
        tensor.data_location = onnx.TensorProto.EXTERNAL
        for key, value in (
            ("location", self.path.name + ".data"),
            ("offset", str(offset)),
            ("length", str(array.nbytes)),
        ):
            tensor.external_data.add(key=key, value=value)
        self.initializers.append(tensor)
        return name

    def constant(self, array: np.ndarray[Any, Any] | list[int] | float | int) -> str:
        """A small constant (shapes, axes, scalars), shared when the same one recurs."""
        value = np.asarray(array)
        if value.dtype == np.float64:
            value = value.astype(np.float32)
        key = (value.dtype.str + str(value.shape), value.tobytes())
        if key not in self._constants:
            self._constants[key] = self.weight(self.fresh("const"), value)
        return self._constants[key]

    def op(
        self,
        op_type: str,
        *inputs: str,
        outputs: int = 1,
        domain: str = "",
        output_names: list[str] | None = None,
        **attributes: Any,
    ) -> Any:
        """Append one node; return its output name, or a list of them when ``outputs > 1``.

        An empty string in ``inputs`` is an omitted optional input, as in ONNX itself.
        ``output_names`` names the outputs instead (a graph output named by its producer
        needs no ``Identity``, which would copy it on every run); an empty one in it is an
        omitted optional output.
        """
        names = output_names or [self.fresh(op_type.lower()) for _ in range(outputs)]
        outputs = len(names)
        node = helper.make_node(
            op_type, list(inputs), names, name=self.fresh(op_type), domain=domain, **attributes
        )
        self.nodes.append(node)
        return names[0] if outputs == 1 else names

    def model(self) -> onnx.ModelProto:
        graph = helper.make_graph(
            self.nodes, self.name, self.inputs, self.outputs, self.initializers
        )
        opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MICROSOFT, 1)]
        model = helper.make_model(graph, opset_imports=opsets, producer_name="fluent-ai")
        model.ir_version = 10
        return model

    def save(self) -> None:
        """Write the graph to its ``path``, its weights having gone to the data file."""
        if self._data is None:
            raise ValueError(f"the graph {self.path} is already saved")
        self._data.close()
        self._data = None
        onnx.save_model(self.model(), str(self.path))
