"""``Memory``: long-term memory on SurrealDB, embedded by default.

``Memory.open(url)`` returns at once; the store is opened (and, on disk, locked) by the
first call that needs it, or by ``await memory.connect()`` / ``async with``. Every
async method has a ``_sync`` twin run on fluent-ai's background loop; use one style
per ``Memory``. Each write is one SurrealDB transaction, checked before it starts, so
a failed write leaves the store as it was.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Self, TypeVar

from fluent_ai._closing import Closeable
from fluent_ai._sync import run_sync
from fluent_ai.memory import graph, listing, transfer, upkeep, validate
from fluent_ai.memory.cognition import DEFAULT_HALF_LIFE, rerank
from fluent_ai.memory.errors import InvalidMemoryError, MemoryNotFoundError
from fluent_ai.memory.records import MEMORY_FIELDS, memory
from fluent_ai.memory.search import Filters, Mode, Rank, by_graph, by_text, by_vector, fuse, single
from fluent_ai.memory.session import Session
from fluent_ai.memory.types import RELATIONS, Edge, Hit, MemoryKind, MemoryRecord, Relation, Scope
from fluent_ai.memory.upkeep import touch
from fluent_ai.memory.vectors import stored

if TYPE_CHECKING:
    from fluent_ai.embeddings import EmbeddingModel
    from fluent_ai.memory.vectors import Progress

DEFAULT_EMBEDDER = "local/all-minilm-l6-v2"

T = TypeVar("T")


class Memory(Closeable):
    """A memory store at ``url``: ``mem://``, ``surrealkv://PATH`` or ``ws://HOST:PORT``.

    Close it (``aclose()``, ``async with``, ``close()``, ``with``) to save its vector
    index and release its lock (a store never closed has its index rebuilt when next
    opened).
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    @classmethod
    def open(
        cls,
        url: str = "mem://",
        *,
        embedder: str | EmbeddingModel | None = DEFAULT_EMBEDDER,
        dimensions: int | None = None,
        namespace: str = "fluent_ai",
        database: str = "memory",
        username: str | None = None,
        password: str | None = None,
        on_progress: Progress | None = None,
    ) -> Memory:
        """A store at ``url`` (checked now, opened on first use).

        ``embedder`` turns text into vectors (a model spec or an
        :class:`~fluent_ai.embeddings.EmbeddingModel`; ``None`` means every call passes
        its own ``vector=``). ``dimensions`` is checked against the store's. A server
        takes ``username`` / ``password`` (else ``SURREAL_USER`` / ``SURREAL_PASS``).
        ``on_progress`` is told how far a rebuild of the vector index has got.
        """
        return cls(
            Session(
                url,
                embedder=embedder,
                dimensions=dimensions,
                namespace=namespace,
                database=database,
                username=username,
                password=password,
                on_progress=on_progress,
            )
        )

    @property
    def url(self) -> str:
        return self._session.location.url

    async def connect(self) -> Self:
        """Open the store now rather than on first use (to see a held lock at once)."""
        await self._session.ready()
        return self

    async def add(
        self,
        content: str,
        *,
        kind: MemoryKind = "episodic",
        scope: Scope | None = None,
        importance: float = 0.5,
        tags: Sequence[str] = (),
        source: str | None = None,
        metadata: dict[str, Any] | None = None,
        created_at: datetime | None = None,
        vector: Sequence[float] | None = None,
    ) -> MemoryRecord:
        """Store one memory; its embedding comes from the embedder unless ``vector`` is given."""
        text = validate.content(content)
        data: dict[str, Any] = {
            "content": text,
            "kind": validate.kind(kind),
            **(scope or Scope()).fields(),
            "importance": validate.unit(importance, "importance"),
            "tags": validate.tags(tags),
            "metadata": dict(metadata or {}),
            "created_at": validate.moment(created_at),
            "access_count": 0,
        }
        if source is not None:
            data["source"] = source
        state = await self._session.ready(len(vector) if vector is not None else None)
        found = vector if vector is not None else (await self._session.embed([text], "document"))[0]
        checked = validate.vector(found, state.dimensions)
        data["embedding"] = stored(checked, self._session.location.embedded)
        key = secrets.randbits(62) or 1
        # Results come for the statements inside BEGIN … COMMIT, not for those two.
        [[row], _] = await state.connection.query(
            "BEGIN TRANSACTION;"
            f"CREATE type::thing('memory', $key) CONTENT $data RETURN {MEMORY_FIELDS};"
            "UPDATE fluent_meta:store SET vectors += 1 RETURN NONE;"
            "COMMIT TRANSACTION;",
            {"key": key, "data": data},
        )
        state.index.add([key], [checked])
        state.writes += 1
        return memory(row)

    async def get(self, memory_id: str) -> MemoryRecord:
        """The memory with this id; raises :class:`MemoryNotFoundError` if there is none."""
        key = validate.memory_id(memory_id)
        state = await self._session.ready()
        [rows] = await state.connection.query(
            f"SELECT {MEMORY_FIELDS} FROM type::thing('memory', $key)", {"key": key}
        )
        if not rows:
            raise MemoryNotFoundError(f"no memory {memory_id} in {self.url}")
        return memory(rows[0])

    async def search(
        self,
        query: str | None = None,
        *,
        k: int = 10,
        mode: Mode = "hybrid",
        scope: Scope | None = None,
        kinds: Sequence[MemoryKind] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        as_of: datetime | None = None,
        expand: int = 0,
        include_invalidated: bool = False,
        include_archived: bool = False,
        rank: Rank = "relevance",
        half_life: timedelta = DEFAULT_HALF_LIFE,
        track_access: bool = True,
        vector: Sequence[float] | None = None,
    ) -> list[Hit]:
        """The ``k`` memories that best match ``query``, each saying why it ranked.

        ``mode``: ``"vector"`` (meaning), ``"text"`` (words, BM25) or ``"hybrid"`` (both,
        fused). ``since`` / ``until`` bound when a memory was made; ``as_of`` shows what
        was believed then (replaced facts included, later ones left out). ``expand``
        follows edges up to that many steps from the ``k`` hits and appends up to ``k``
        memories per step reached that way, each scored by the hit's score times the
        strengths along the best path. ``rank="cognitive"`` weighs relevance by recency,
        retrievals and importance (:mod:`fluent_ai.memory.cognition`). Each hit counts
        as a retrieval unless ``track_access=False``.
        """
        if k < 1:
            raise InvalidMemoryError(f"k must be at least 1, not {k}")
        filters = Filters(
            scope=scope or Scope(),
            kinds=tuple(validate.kind(kind) for kind in kinds),
            since=validate.optional_moment(since),
            until=validate.optional_moment(until),
            as_of=validate.optional_moment(as_of),
            include_invalidated=include_invalidated,
            include_archived=include_archived,
        )
        text = validate.content(query) if query is not None else None
        # The cognitive ranking may lift a hit from below the first k by relevance.
        width = 2 * k if rank == "cognitive" else k
        state = await self._session.ready(len(vector) if vector is not None else None)
        lists: dict[Any, list[tuple[MemoryRecord, float]]] = {}
        if mode in ("vector", "hybrid") and (vector is not None or text is not None):
            wanted = vector if vector is not None else await self._query_vector(text)
            checked = validate.vector(wanted, state.dimensions)
            lists["vector"] = await by_vector(
                state.connection, state.index, checked, width, filters
            )
        if mode in ("text", "hybrid") and text is not None:
            lists["text"] = await by_text(state.connection, text, width, filters)
        if not lists:
            raise InvalidMemoryError(
                f"a {mode} search needs a query text" + (" or a vector" if mode != "text" else "")
            )
        hits = fuse(lists, width) if len(lists) > 1 else single(*next(iter(lists.items())))
        now = datetime.now(UTC)
        hits = (rerank(hits, now, half_life) if rank == "cognitive" else hits)[:k]
        if expand > 0:
            seeds = [(hit.memory, hit.score) for hit in hits]
            reached = await by_graph(state.connection, seeds, expand, filters)
            hits += single("graph", reached[: k * expand])
        if track_access:
            await touch(state.connection, [int(hit.memory.id) for hit in hits], now)
        return hits

    async def decay(
        self,
        *,
        threshold: float = 0.4,
        half_life: timedelta = DEFAULT_HALF_LIFE,
        scope: Scope | None = None,
    ) -> list[str]:
        """Archive the memories whose strength (recency × retrievals × importance, see
        :mod:`fluent_ai.memory.cognition`) has fallen below ``threshold``; their ids.
        Archived memories are kept, left out of searches unless ``include_archived``,
        and :meth:`restore` brings one back."""
        filters = Filters(scope=scope or Scope())
        state = await self._session.ready()
        return await upkeep.decay(
            state.connection,
            filters,
            threshold=threshold,
            half_life=half_life,
            now=datetime.now(UTC),
        )

    async def restore(self, memory_id: str) -> None:
        """Bring an archived memory back into searches."""
        key = validate.memory_id(memory_id)
        state = await self._session.ready()
        await graph.require(state, self.url, key)
        await upkeep.restore(state.connection, key)

    async def relate(
        self,
        source: str,
        target: str,
        relation: Relation = "relates_to",
        *,
        strength: float = 1.0,
        valid_from: datetime | None = None,
    ) -> Edge:
        """Record that ``source`` bears on ``target`` (both memory ids), holding from
        ``valid_from`` (default now) with ``strength`` from 0 to 1."""
        store = await self._session.ready()
        return await graph.relate(
            store, self.url, source, target, relation, strength, validate.moment(valid_from)
        )

    async def edges(self, memory_id: str, *, include_expired: bool = False) -> list[Edge]:
        """Every edge from or to a memory (only current ones unless ``include_expired``)."""
        store = await self._session.ready()
        return await graph.edges(store, memory_id, include_expired=include_expired)

    async def expire(self, edge: Edge, *, at: datetime | None = None) -> Edge:
        """Stop an edge holding from ``at`` (default now); it is kept, never deleted."""
        store = await self._session.ready()
        return await graph.expire(store, edge, validate.moment(at))

    async def invalidate(
        self, memory_id: str, *, by: str | None = None, at: datetime | None = None
    ) -> MemoryRecord:
        """Mark a fact as no longer true from ``at`` (default now), replaced by the
        memory ``by`` if given (which then ``contradicts`` it). Nothing is deleted:
        ``search(as_of=…)`` still finds it for the time it held."""
        store = await self._session.ready()
        return await graph.invalidate(store, self.url, memory_id, by, validate.moment(at))

    async def delete(self, memory_id: str) -> None:
        """Erase a memory and its edges for good (to retire a fact, :meth:`invalidate` it)."""
        key = validate.memory_id(memory_id)
        state = await self._session.ready()
        await graph.require(state, self.url, key)
        await state.connection.query(
            "BEGIN TRANSACTION;"
            + "".join(
                f"DELETE {table} WHERE in = type::thing('memory', $key) "
                f"OR out = type::thing('memory', $key);"
                for table in RELATIONS
            )
            + "DELETE type::thing('memory', $key);"
            "UPDATE fluent_meta:store SET vectors += 1 RETURN NONE;"
            "COMMIT TRANSACTION;",
            {"key": key},
        )
        state.index.remove([key])
        state.writes += 1

    async def count(self, *, scope: Scope | None = None) -> int:
        """How many memories the store holds (in ``scope``, if given)."""
        filters = Filters(scope=scope or Scope(), include_invalidated=True, include_archived=True)
        condition, params = filters.where()
        state = await self._session.ready()
        [rows] = await state.connection.query(
            f"SELECT count() AS n FROM memory WHERE {condition} GROUP ALL", params
        )
        return int(rows[0]["n"]) if rows else 0

    async def aclose(self) -> None:
        """Save the vector index, close the store and release its lock."""
        await self._session.close()

    async def __aenter__(self) -> Self:
        return await self.connect()  # at once, so that a held lock shows here

    async def _query_vector(self, text: str | None) -> list[float]:
        if text is None:
            raise InvalidMemoryError("a vector search needs a query text or a vector")
        return (await self._session.embed([text], "query"))[0]

    # The sync twins, for scripts and notebooks.

    def add_sync(self, content: str, **options: Any) -> MemoryRecord:
        return run_sync(self.add(content, **options))

    def get_sync(self, memory_id: str) -> MemoryRecord:
        return run_sync(self.get(memory_id))

    def search_sync(self, query: str | None = None, **options: Any) -> list[Hit]:
        return run_sync(self.search(query, **options))

    def relate_sync(self, source: str, target: str, *args: Any, **options: Any) -> Edge:
        return run_sync(self.relate(source, target, *args, **options))

    def edges_sync(self, memory_id: str, **options: Any) -> list[Edge]:
        return run_sync(self.edges(memory_id, **options))

    def expire_sync(self, edge: Edge, **options: Any) -> Edge:
        return run_sync(self.expire(edge, **options))

    def invalidate_sync(self, memory_id: str, **options: Any) -> MemoryRecord:
        return run_sync(self.invalidate(memory_id, **options))

    def delete_sync(self, memory_id: str) -> None:
        run_sync(self.delete(memory_id))

    def count_sync(self, **options: Any) -> int:
        return run_sync(self.count(**options))

    def decay_sync(self, **options: Any) -> list[str]:
        return run_sync(self.decay(**options))

    def restore_sync(self, memory_id: str) -> None:
        run_sync(self.restore(memory_id))

    def __enter__(self) -> Self:
        return run_sync(self.connect())

    def __repr__(self) -> str:
        return f"Memory({self.url!r})"

    # Reading the whole store, and moving it (see fluent_ai.memory.listing, .transfer).

    async def memories(
        self,
        *,
        scope: Scope | None = None,
        kinds: Sequence[MemoryKind] = (),
        include_invalidated: bool = True,
        batch: int = listing.BATCH,
    ) -> AsyncIterator[MemoryRecord]:
        """Every memory (in ``scope``, of ``kinds``), in key order, read in batches."""
        store = await self._session.ready()
        async for record, _ in listing.memories(
            store, scope=scope, kinds=kinds, include_invalidated=include_invalidated, batch=batch
        ):
            yield record

    async def all_edges(
        self, *, scope: Scope | None = None, include_expired: bool = False
    ) -> list[Edge]:
        """Every edge between memories in ``scope`` (current ones unless ``include_expired``)."""
        store = await self._session.ready()
        return await listing.all_edges(store, scope=scope, include_expired=include_expired)

    async def stats(self, *, scope: Scope | None = None) -> listing.Stats:
        """Memories by kind and scope, edges by relation, and the store's size on disk."""
        store = await self._session.ready()
        return await listing.stats(store, self.url, self._session.location.path, scope)

    async def export(self, *, scope: Scope | None = None) -> AsyncIterator[dict[str, Any]]:
        """The store as JSON-ready lines: each memory with its vector, then each edge."""
        async for line in transfer.export_lines(await self._session.ready(), scope):
            yield line

    async def import_lines(
        self,
        lines: Sequence[Mapping[str, Any]],
        *,
        on_progress: Progress | None = None,
    ) -> dict[str, str]:
        """Add exported lines under new ids (edges remapped); the old ids to the new."""
        store = await self._session.ready()
        embedded = self._session.location.embedded
        return await transfer.import_lines(store, embedded, lines, on_progress)

    def memories_sync(self, **options: Any) -> list[MemoryRecord]:
        return run_sync(_collect(self.memories(**options)))

    def all_edges_sync(self, **options: Any) -> list[Edge]:
        return run_sync(self.all_edges(**options))

    def stats_sync(self, **options: Any) -> listing.Stats:
        return run_sync(self.stats(**options))

    def export_sync(self, **options: Any) -> list[dict[str, Any]]:
        return run_sync(_collect(self.export(**options)))

    def import_lines_sync(
        self, lines: Sequence[Mapping[str, Any]], **options: Any
    ) -> dict[str, str]:
        return run_sync(self.import_lines(lines, **options))


async def _collect(items: AsyncIterator[T]) -> list[T]:
    return [item async for item in items]
