"""The GGUF container: its metadata and where each tensor's bytes are, read in milliseconds.

``gguf.GGUFReader`` builds a numpy view for every item of every metadata array, and a
chat model's metadata holds the tokenizer: SmolLM2's 49,152 tokens and 48,900 merges took
it 2.5 to 4.7 seconds, most of a graph build. The container format is simple (a header,
typed key/value pairs, tensor descriptors, aligned data), so it is parsed here with
:mod:`struct` over a memory map; numeric arrays become numpy arrays without a copy and
tensor data is a view into the map, read from disk only when used. ``gguf`` still supplies
the type codes and block sizes.

Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (versions 2 and 3,
little-endian).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from math import prod
from pathlib import Path
from typing import Any

import numpy as np
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType

_MAGIC = 0x46554747  # b"GGUF", little-endian
_STRING, _ARRAY = 8, 9
_SCALARS = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}


_KNOWN_TYPES = frozenset(int(kind) for kind in GGML_QUANT_SIZES)


@dataclass(frozen=True, slots=True)
class TensorInfo:
    """A tensor's descriptor. ``shape`` is in GGUF's order, the contiguous dimension first;
    ``type_id`` is a ``GGMLQuantizationType`` value, or a code this ``gguf`` does not know."""

    name: str
    type_id: int
    shape: tuple[int, ...]
    offset: int


class GGUFFile:
    """``fields`` (key to value: numbers, strings, arrays) and ``tensors`` by name.

    Raises :class:`ValueError` for anything that is not a well-formed GGUF file.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self._offset = 0
        try:
            magic, version = self._unpack("<II")
            if magic != _MAGIC:
                raise ValueError("no GGUF magic number")
            if version not in (2, 3):
                raise ValueError(f"GGUF version {version} (supported: 2, 3)")
            tensor_count, field_count = self._unpack("<QQ")
            self.fields: dict[str, Any] = {}
            for _ in range(field_count):
                key = self._string()
                self.fields[key] = self._value(self._unpack("<I")[0])
            descriptors = [self._descriptor() for _ in range(tensor_count)]
        except struct.error as exc:
            raise ValueError(f"truncated GGUF header ({exc})") from exc
        alignment = int(self.fields.get("general.alignment", 32))
        start = -(-self._offset // alignment) * alignment
        self.tensors = {
            name: TensorInfo(name, type_id, shape, start + offset)
            for name, type_id, shape, offset in descriptors
        }
        for info in self.tensors.values():
            if info.type_id in _KNOWN_TYPES:
                rows, row_bytes = _extent(info)
                if info.offset + rows * row_bytes > len(self._map):
                    raise ValueError(f"tensor {info.name} lies past the end of the file")

    def data(self, info: TensorInfo) -> np.ndarray[Any, Any]:
        """The tensor's bytes as ``uint8[rows, bytes per row]``, rows of ``shape[0]`` values."""
        rows, row_bytes = _extent(info)
        flat = np.frombuffer(self._map, np.uint8, count=rows * row_bytes, offset=info.offset)
        return flat.reshape(rows, row_bytes)

    def release(self) -> None:
        """Unmap the pages read so far: they stay in the page cache, not in this process.

        Arrays from :meth:`data` stay valid; reading them again maps the pages back in.
        A reader going through a model once (a graph build) keeps its memory to the size
        of one part instead of the whole file.
        """
        if hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)

    def _unpack(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from(fmt, self._map, self._offset)
        self._offset += struct.calcsize(fmt)
        return values

    def _string(self) -> str:
        (length,) = self._unpack("<Q")
        start = self._offset
        self._offset += length
        if self._offset > len(self._map):
            raise ValueError("a string runs past the end of the file")
        return self._map[start : self._offset].decode("utf-8", errors="replace")

    def _value(self, type_id: int) -> Any:
        if type_id in _SCALARS:
            return self._unpack("<" + _SCALARS[type_id])[0]
        if type_id == _STRING:
            return self._string()
        if type_id != _ARRAY:
            raise ValueError(f"unknown metadata value type {type_id}")
        item_type, count = self._unpack("<IQ")
        if item_type in _SCALARS:  # struct's codes are numpy's too
            dtype = np.dtype("<" + _SCALARS[item_type])
            values = np.frombuffer(self._map, dtype, count=count, offset=self._offset)
            self._offset += values.nbytes
            return values
        return [self._value(item_type) for _ in range(count)]

    def _descriptor(self) -> tuple[str, int, tuple[int, ...], int]:
        name = self._string()
        (dims,) = self._unpack("<I")
        shape = self._unpack(f"<{dims}Q")
        type_id, offset = self._unpack("<IQ")
        return name, type_id, tuple(int(n) for n in shape), offset


def _extent(info: TensorInfo) -> tuple[int, int]:
    """``(rows, bytes per row)`` of a tensor of a known type."""
    block, size = GGML_QUANT_SIZES[GGMLQuantizationType(info.type_id)]
    return prod(info.shape[1:]), info.shape[0] // block * size
