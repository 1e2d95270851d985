"""Re-embedding: every memory's vector made again by another embedding model.

A store keeps one embedding model: vectors from two models do not compare. To move to
a better model, :meth:`ReembedMethods.reembed` embeds every memory (archived and
replaced ones too) with the new model into a side field, ``embedding_next``, batch by
batch, then swaps all of them in one transaction together with the store's vector
length; the vector index is rebuilt from the store afterwards. Until that transaction
the store is exactly as it was: a run that fails or is stopped half-way leaves the old
vectors in use, and the next run starts over (the side field is cleared first).
Memories added while it runs are caught up before the swap, and the swap refuses
(raising, changing nothing) if one still slipped through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fluent_ai._sync import run_sync
from fluent_ai.memory import validate
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.errors import InvalidMemoryError, StoreQueryError
from fluent_ai.memory.observe import observed
from fluent_ai.memory.schema import META, drop_vector_index
from fluent_ai.memory.session import OpenStore, embedder_name
from fluent_ai.memory.vectors import stored

if TYPE_CHECKING:
    from fluent_ai.embeddings import EmbeddingModel
    from fluent_ai.memory.vectors import Progress

_MISSED = "a memory was added without a new vector"


async def _count(store: OpenStore, condition: str) -> int:
    [rows] = await store.connection.query(
        f"SELECT count() AS n FROM memory WHERE {condition} GROUP ALL"
    )
    return int(rows[0]["n"]) if rows else 0


async def _pending(store: OpenStore, batch: int) -> list[tuple[int, str]]:
    """Up to ``batch`` memories (key, content) that have no new vector yet."""
    [rows] = await store.connection.query(
        "SELECT meta::id(id) AS key, content FROM memory WHERE embedding_next IS NONE LIMIT $limit",
        {"limit": batch},
    )
    return [(int(row["key"]), str(row["content"])) for row in rows]


async def _embed(
    model: EmbeddingModel, texts: list[str], dimensions: int | None
) -> tuple[list[list[float]], int]:
    """The new vectors, each checked: one length for all, finite, not all zeros."""
    result = await model.embed(texts, input_type="document")
    vectors = [list(vector) for vector in result.vectors]
    if len(vectors) != len(texts):
        raise InvalidMemoryError(
            f"the embedder returned {len(vectors)} vectors for {len(texts)} texts"
        )
    length = dimensions or len(vectors[0])
    return [validate.vector(vector, length) for vector in vectors], length


async def fill(
    store: OpenStore,
    model: EmbeddingModel,
    embedded: bool,
    batch: int,
    on_progress: Progress | None,
    dimensions: int | None = None,
) -> tuple[int | None, int]:
    """Give every memory without one its new vector in ``embedding_next``; the new
    length (``None`` while nothing was embedded) and how many were embedded."""
    total, done = await _count(store, "embedding_next IS NONE"), 0
    while pending := await _pending(store, batch):
        vectors, dimensions = await _embed(model, [text for _, text in pending], dimensions)
        rows = [
            {"key": key, "vector": stored(vector, embedded)}
            for (key, _), vector in zip(pending, vectors, strict=True)
        ]
        await store.connection.query(
            "BEGIN TRANSACTION;"
            "FOR $row IN $rows { UPDATE type::thing('memory', $row.key) "
            "SET embedding_next = $row.vector RETURN NONE; };"
            "COMMIT TRANSACTION;",
            {"rows": rows},
        )
        done += len(rows)
        total = max(total, done)
        if on_progress is not None:
            on_progress(done, total)
    return dimensions, done


async def swap(store: OpenStore, dimensions: int, embedded: bool, embedder: str) -> bool:
    """One transaction: every new vector in place, the store's new length and the name
    of the model that made them. ``False``
    (and nothing changed) when a memory added meanwhile has no new vector yet."""
    try:
        await store.connection.query(
            "BEGIN TRANSACTION;"
            "IF (SELECT count() AS n FROM memory WHERE embedding_next IS NONE GROUP ALL)[0].n"
            f" > 0 {{ THROW '{_MISSED}' }};"
            # A server's HNSW index holds vectors of the old length: it goes first.
            + ("" if embedded else drop_vector_index())
            + "UPDATE memory SET embedding = embedding_next, embedding_next = NONE RETURN NONE;"
            f"UPDATE {META} SET dimensions = $dimensions, embedder = $embedder, vectors += 1 "
            "RETURN NONE;"
            "COMMIT TRANSACTION;",
            {"dimensions": dimensions, "embedder": embedder},
        )
    except StoreQueryError as exc:
        if _MISSED in str(exc):
            return False
        raise
    return True


class ReembedMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s move to another embedding model."""

    @observed("reembed", lambda _: ())
    async def reembed(
        self,
        embedder: str | EmbeddingModel,
        *,
        batch: int = 64,
        on_progress: Progress | None = None,
    ) -> int:
        """Embed every memory again with ``embedder`` (a model spec or an
        :class:`~fluent_ai.embeddings.EmbeddingModel`), swap the new vectors in at once
        and use ``embedder`` from now on; how many memories were embedded.
        ``on_progress(done, total)`` follows the embedding; the index rebuild that
        follows reports to ``Memory.open``'s ``on_progress``."""
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise InvalidMemoryError(f"batch={batch!r}: give a whole number, at least 1")
        store = await self._session.ready()
        embedded = self._session.location.embedded
        model, owned = _model(embedder)
        try:
            await store.connection.query(
                "UPDATE memory SET embedding_next = NONE WHERE embedding_next IS NOT NONE "
                "RETURN NONE"
            )
            dimensions, done = await fill(store, model, embedded, batch, on_progress)
            while dimensions is not None and not await swap(
                store, dimensions, embedded, embedder_name(model)
            ):
                _, more = await fill(store, model, embedded, batch, None, dimensions)
                done += more
        finally:
            if owned:
                await model.aclose()
        await self._session.switch(embedder, dimensions)
        return done

    def reembed_sync(self, embedder: str | EmbeddingModel, **options: Any) -> int:
        return run_sync(self.reembed(embedder, **options))


def _model(embedder: str | EmbeddingModel) -> tuple[EmbeddingModel, bool]:
    """The embedding model, and whether this module made it (and so closes it)."""
    if not isinstance(embedder, str):
        return embedder, False
    from fluent_ai.embeddings import get_embedding_model

    return get_embedding_model(embedder), True
