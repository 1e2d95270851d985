"""Nearest-neighbour search over the memories' embeddings, behind one small protocol.

Two implementations, chosen by where the store lives:

* :class:`UsearchIndex`, for an embedded store: usearch (HNSW in C++) searches 100k
  vectors in about half a millisecond, where SurrealDB's own HNSW takes 8 ms at 10k and
  fills at a few hundred rows a second. It is *derived* data: SurrealDB holds the
  truth, every write bumps a counter in the same transaction, and the index file is
  saved with the counter it matches. At open a file whose counter differs (a crash
  since the last save, a write by an older version) is rebuilt from the store, so the
  two can never disagree for longer than one open.
* :class:`ServerIndex`, for a SurrealDB server: many processes share the store, so they
  share SurrealDB's HNSW index too (a per-process usearch index would go stale).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from fluent_ai.memory.connection import Connection
from fluent_ai.memory.records import key

Progress = Callable[[int, int], None]
"""Called with (vectors indexed so far, total) while an index is rebuilt."""

_BATCH = 2000


class VectorIndex(Protocol):
    """Keys (memory ids) to vectors; ``search`` gives ``(key, cosine similarity)``."""

    def add(self, keys: list[int], vectors: list[list[float]]) -> None: ...
    def remove(self, keys: list[int]) -> None: ...
    async def search(self, vector: list[float], count: int) -> list[tuple[int, float]]: ...
    def save(self, version: str) -> None: ...


class UsearchIndex:
    """An in-process usearch index, saved beside the store at ``path`` (or nowhere)."""

    def __init__(self, dimensions: int, path: Path | None) -> None:
        from usearch.index import Index

        self.path = path
        self._index = Index(ndim=dimensions, metric="cos", dtype="f32")

    @classmethod
    async def open(
        cls,
        connection: Connection,
        dimensions: int,
        path: Path | None,
        version: str,
        progress: Progress | None = None,
    ) -> UsearchIndex:
        """The index for the store behind ``connection``: the saved file if it matches
        the store's ``version`` (its identity and write counter), else rebuilt."""
        index = cls(dimensions, path)
        if path is not None and await asyncio.to_thread(index._load, path, version):
            return index
        await index._rebuild(connection, progress)
        if path is not None:
            await asyncio.to_thread(index.save, version)
        return index

    def _load(self, path: Path, version: str) -> bool:
        """Load the saved index if it was saved for ``version``; whether it was."""
        if _saved_version(path) != version or not path.exists():
            return False
        self._index.load(str(path))
        return True

    async def _rebuild(self, connection: Connection, progress: Progress | None) -> None:
        import numpy

        [counted] = await connection.query("SELECT count() AS n FROM memory GROUP ALL")
        total = int(counted[0]["n"]) if counted else 0
        done, after = 0, 0
        while True:
            # A record range reads the next batch in key order without a scan.
            [rows] = await connection.query(
                f"SELECT VALUE [record::id(id), embedding] FROM memory:{after + 1}.. LIMIT $limit",
                {"limit": _BATCH},
            )
            if not rows:
                break
            keys = numpy.array([key for key, _ in rows], dtype=numpy.uint64)
            self._index.add(keys, numpy.stack([as_array(stored) for _, stored in rows]))
            after = int(keys[-1])
            done += len(rows)
            if progress is not None:
                progress(done, total or done)

    def add(self, keys: list[int], vectors: list[list[float]]) -> None:
        import numpy

        self._index.add(
            numpy.array(keys, dtype=numpy.uint64), numpy.array(vectors, dtype=numpy.float32)
        )

    def remove(self, keys: list[int]) -> None:
        import numpy

        self._index.remove(numpy.array(keys, dtype=numpy.uint64))

    async def search(self, vector: list[float], count: int) -> list[tuple[int, float]]:
        import numpy

        size = len(self._index)
        if size == 0:
            return []
        matches = self._index.search(numpy.array(vector, dtype=numpy.float32), min(count, size))
        return [
            (int(key), 1.0 - float(distance))
            for key, distance in zip(matches.keys, matches.distances, strict=True)
        ]

    def __len__(self) -> int:
        return len(self._index)

    def save(self, version: str) -> None:
        """Write the index and the store version it matches, each atomically (file, then name)."""
        if self.path is None:
            return
        partial = self.path.with_name(self.path.name + ".partial")
        self._index.save(str(partial))
        os.replace(partial, self.path)
        _write_json(_sidecar(self.path), {"version": version, "count": len(self._index)})


class ServerIndex:
    """SurrealDB's own HNSW index (defined by the schema on server stores)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, keys: list[int], vectors: list[list[float]]) -> None:
        """Nothing to do: the database indexes what it stores."""

    def remove(self, keys: list[int]) -> None:
        """Nothing to do: the database drops what it deletes."""

    async def search(self, vector: list[float], count: int) -> list[tuple[int, float]]:
        # The plain ``<|k|>`` form silently finds nothing on an HNSW field: give the
        # search breadth too.
        [rows] = await self._connection.query(
            "SELECT id, vector::distance::knn() AS distance FROM memory "
            f"WHERE embedding <|{int(count)},{max(40, int(count))}|> $vector ORDER BY distance",
            {"vector": vector},
        )
        return [(int(key(row["id"])), 1.0 - float(row["distance"])) for row in rows]

    def save(self, version: str) -> None:
        """Nothing to do: the database persists its own index."""


def stored(vector: list[float], embedded: bool) -> bytes | list[float]:
    """How a vector is kept in the store: packed float32 bytes where only the usearch
    index reads it (a third of the size, and SurrealDB need not check 384 numbers on
    every write), a list of floats on a server, whose HNSW index needs one."""
    if not embedded:
        return vector
    import numpy

    return numpy.asarray(vector, dtype="<f4").tobytes()


def as_array(value: bytes | list[float]) -> Any:
    """A stored vector (either form) as a float32 numpy array."""
    import numpy

    if isinstance(value, bytes | bytearray):
        return numpy.frombuffer(value, dtype="<f4")
    return numpy.asarray(value, dtype=numpy.float32)


def version_of(store_token: str, writes: int) -> str:
    """What an index must match: which store (its random token) after how many writes."""
    return f"{store_token}:{writes}"


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _saved_version(path: Path) -> str | None:
    try:
        data: Any = json.loads(_sidecar(path).read_text(encoding="utf-8"))
        return str(data["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, path)
