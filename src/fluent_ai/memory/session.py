"""The open state behind a :class:`~fluent_ai.memory.Memory`: connection, schema, index.

Opening happens once, on first use, under a lock: connect (taking the store's lock if
it is on disk), bring the schema up to date, check the vector length, then open the
vector and word indexes, each from its saved file when that matches the store, else
rebuilt from it.

The store also records which embedding model made its vectors (``provider/model``),
claimed by the first embedder that writes or searches it, since two models of the same
vector length give vectors that do not compare: a store opened with another embedder is
refused with :class:`SchemaMismatchError` (``Memory.reembed`` moves it to another).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fluent_ai.memory.connection import Connection, Location, locate
from fluent_ai.memory.errors import InvalidMemoryError, SchemaMismatchError
from fluent_ai.memory.records import MEMORY_FIELDS
from fluent_ai.memory.schema import (
    META,
    SCHEMA_VERSION,
    drop_text_index,
    migration,
    text_index,
    vector_index,
)
from fluent_ai.memory.vectors import ServerIndex, UsearchIndex, VectorIndex, version_of
from fluent_ai.memory.words import ServerWords, SqliteWords, WordIndex

if TYPE_CHECKING:
    from fluent_ai.embeddings import EmbeddingModel, InputType
    from fluent_ai.memory.vectors import Progress


@dataclass(slots=True)
class OpenStore:
    """What an open store needs at hand; ``writes`` counts writes so far (memories
    added or deleted, vectors replaced)."""

    connection: Connection
    index: VectorIndex
    words: WordIndex
    dimensions: int
    token: str
    writes: int
    embedder: str | None = None

    async def insert(self, data: dict[str, Any], vector: list[float]) -> dict[str, Any]:
        """Store one memory (``data`` with its stored ``embedding``) under a new key and
        index ``vector`` and its words; the row as
        :data:`~fluent_ai.memory.records.MEMORY_FIELDS` selects it. The write counter
        moves in the same transaction, so the indexes' files can tell they are behind
        (see :mod:`fluent_ai.memory.vectors`)."""
        key = secrets.randbits(62) or 1
        # Results come for the statements inside BEGIN … COMMIT, not for those two.
        [[row], _] = await self.connection.query(
            "BEGIN TRANSACTION;"
            f"CREATE type::thing('memory', $key) CONTENT $data RETURN {MEMORY_FIELDS};"
            f"UPDATE {META} SET vectors += 1 RETURN NONE;"
            "COMMIT TRANSACTION;",
            {"key": key, "data": data},
        )
        self.index.add([key], [vector])
        self.words.add(key, data)
        self.writes += 1
        return dict(row)


class Session:
    """Opens the store on first use and closes it once."""

    def __init__(
        self,
        url: str,
        *,
        embedder: str | EmbeddingModel | None,
        dimensions: int | None,
        namespace: str,
        database: str,
        username: str | None,
        password: str | None,
        on_progress: Progress | None,
    ) -> None:
        self.location: Location = locate(url)
        if dimensions is not None and dimensions < 1:
            raise InvalidMemoryError(f"dimensions must be a positive number, not {dimensions}")
        self._embedder = embedder
        self._dimensions = dimensions
        self._options = {"namespace": namespace, "database": database}
        self._credentials = (username, password)
        self._on_progress = on_progress
        self._model_cache: EmbeddingModel | None = None
        self._store: OpenStore | None = None
        self._claimed = False
        self._lock: asyncio.Lock | None = None

    async def ready(self, dimensions_hint: int | None = None) -> OpenStore:
        """The open store, opening it first if need be."""
        if self._store is not None:
            return self._store
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._store is None:
                self._store = await self._open(dimensions_hint)
        return self._store

    async def embed(self, texts: Sequence[str], input_type: InputType) -> list[list[float]]:
        """Vectors for ``texts`` from the embedder."""
        model = self._model()
        store = self._store
        if store is not None and not self._claimed:
            store.embedder = await self._claim(store.connection, store.embedder, model)
        result = await model.embed(list(texts), input_type=input_type)
        return [list(vector) for vector in result.vectors]

    async def close(self) -> None:
        store, self._store = self._store, None
        if store is None:
            return
        version = version_of(store.token, store.writes)
        try:
            await asyncio.to_thread(store.index.save, version)
            store.words.save(version)
        finally:
            store.words.close()
            await store.connection.close()
            await self._close_model()

    async def switch(self, embedder: str | EmbeddingModel, dimensions: int | None) -> None:
        """Use ``embedder`` from now on; after a re-embedding to ``dimensions`` (``None``:
        nothing was re-embedded), the vector index is rebuilt from the store. The
        connection stays open: a ``mem://`` store lives only as long as it."""
        store = await self.ready()
        await self._close_model()
        self._embedder, self._dimensions = embedder, dimensions
        store.embedder = await self._claim(store.connection, None, self._model())
        if dimensions is None:
            return
        [meta] = (await store.connection.query(f"SELECT * FROM {META}"))[0]
        store.dimensions, store.writes = dimensions, int(meta.get("vectors") or 0)
        store.index = await self._index(store.connection, dimensions, store.token, store.writes)

    def _model(self) -> EmbeddingModel:
        if self._embedder is None:
            raise InvalidMemoryError(
                "this memory has no embedder: pass vector=… to each call, or open it with "
                "Memory.open(url, embedder='local/all-minilm-l6-v2')"
            )
        if not isinstance(self._embedder, str):
            return self._embedder
        if self._model_cache is None:
            from fluent_ai.embeddings import get_embedding_model

            self._model_cache = get_embedding_model(self._embedder)
        return self._model_cache

    async def _close_model(self) -> None:
        """Close the embedder if this session made it (one passed in is the caller's)."""
        model, self._model_cache = self._model_cache, None
        if model is not None:
            await model.aclose()

    async def _open(self, dimensions_hint: int | None) -> OpenStore:
        username, password = self._credentials
        connection = await Connection.open(
            self.location, username=username, password=password, **self._options
        )
        try:
            meta = await _meta(connection)
            dimensions = await self._dimensions_for(meta, dimensions_hint)
            version = int(meta.get("version") or 0)
            if version > SCHEMA_VERSION:
                raise SchemaMismatchError(
                    f"{self.location.url} was made by a newer fluent-ai (schema {version}, "
                    f"this one knows {SCHEMA_VERSION}): upgrade fluent-ai to open it"
                )
            for step in range(version, SCHEMA_VERSION):
                await connection.query(migration(step, dimensions))
            if not meta.get("token"):
                await connection.query(
                    f"UPDATE {META} SET token = $store_token, vectors = 0",
                    {"store_token": secrets.token_hex(8)},
                )
                meta = await _meta(connection)
            token, writes = str(meta["token"]), int(meta.get("vectors") or 0)
            embedder: str | None = meta.get("embedder")
            made = self._model_cache or (
                None if isinstance(self._embedder, str) else self._embedder
            )
            if made is not None:
                embedder = await self._claim(connection, embedder, made)
            index = await self._index(connection, dimensions, token, writes)
            words = await self._words(connection, version_of(token, writes))
        except BaseException:
            await connection.close()
            raise
        return OpenStore(connection, index, words, dimensions, token, writes, embedder)

    async def _claim(
        self, connection: Connection, stored: str | None, model: EmbeddingModel
    ) -> str:
        """Check that ``model`` made the store's vectors (recording it where no model
        is recorded yet); the model's name."""
        name = embedder_name(model)
        if stored is None:
            await connection.query(f"UPDATE {META} SET embedder = $name", {"name": name})
        elif stored != name:
            raise SchemaMismatchError(
                f"{self.location.url} holds vectors from {stored}, not {name}: vectors "
                f"of two models do not compare. Open it with embedder={stored!r}, or move "
                f"it to the new model with memory.reembed({name!r}) "
                "(`fluent-ai memory reembed`)"
            )
        self._claimed = True
        return name

    async def _index(
        self, connection: Connection, dimensions: int, token: str, writes: int
    ) -> VectorIndex:
        """The vector index: usearch beside an embedded store (from its saved file when
        that matches the store, else rebuilt), SurrealDB's own HNSW on a server."""
        if self.location.embedded:
            path = self.location.path
            saved = path.with_name(path.name + ".usearch") if path is not None else None
            return await UsearchIndex.open(
                connection, dimensions, saved, version_of(token, writes), self._on_progress
            )
        await connection.query(vector_index(dimensions))
        return ServerIndex(connection)

    async def _words(self, connection: Connection, version: str) -> WordIndex:
        """The word index: an FTS5 table beside an embedded store (from its saved file
        when that matches the store, else rebuilt), SurrealDB's own BM25 on a server."""
        if self.location.embedded:
            await connection.query(drop_text_index())
            path = self.location.path
            saved = path.with_name(path.name + ".words") if path is not None else None
            return await SqliteWords.open(connection, saved, version)
        await connection.query(text_index())
        return ServerWords(connection)

    async def _dimensions_for(self, meta: dict[str, Any], hint: int | None) -> int:
        stored = meta.get("dimensions")
        wanted = self._dimensions or hint
        if stored is not None:
            if wanted is not None and wanted != stored:
                raise SchemaMismatchError(
                    f"{self.location.url} holds {stored}-dimension vectors, not {wanted}: "
                    "a store keeps the embedding model it was made with; open another store "
                    "for another model"
                )
            return int(stored)
        if wanted is not None:
            return wanted
        if self._embedder is not None:
            model = self._model()
            if model.dimensions:
                return int(model.dimensions)
            return len((await self.embed(["dimensions"], "document"))[0])
        raise InvalidMemoryError(
            "a new store needs its vector length: open it with dimensions=N or an embedder"
        )


def embedder_name(model: EmbeddingModel) -> str:
    """How a store names the model that made its vectors."""
    return f"{model.provider}/{model.model}"


async def _meta(connection: Connection) -> dict[str, Any]:
    [rows] = await connection.query(f"SELECT * FROM {META}")
    return dict(rows[0]) if rows else {}
