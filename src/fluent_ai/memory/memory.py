"""``Memory``: long-term memory on SurrealDB, embedded by default.

``Memory.open(url)`` returns at once; the store is opened (and, on disk, locked) by the
first call that needs it, or by ``await memory.connect()`` / ``async with``. Every
async method has a ``_sync`` twin run on fluent-ai's background loop; use one style
per ``Memory``. Each write is one SurrealDB transaction, checked before it starts, so
a failed write leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from fluent_ai._sync import run_sync
from fluent_ai.memory import validate
from fluent_ai.memory.cognition import DEFAULT_HALF_LIFE, rerank
from fluent_ai.memory.consolidation import ConsolidationMethods
from fluent_ai.memory.errors import InvalidMemoryError, MemoryNotFoundError
from fluent_ai.memory.facts import FactMethods
from fluent_ai.memory.graph import GraphMethods, require
from fluent_ai.memory.listing import ListingMethods
from fluent_ai.memory.observe import EventCallback, observed
from fluent_ai.memory.query import blend
from fluent_ai.memory.records import MEMORY_FIELDS, memory
from fluent_ai.memory.reembed import ReembedMethods
from fluent_ai.memory.search import Filters, Mode, Rank, by_graph, by_text, by_vector, fuse, single
from fluent_ai.memory.session import Session
from fluent_ai.memory.summaries import SummaryMethods
from fluent_ai.memory.transfer import TransferMethods
from fluent_ai.memory.types import RELATIONS, Hit, MemoryKind, MemoryRecord, Scope
from fluent_ai.memory.upkeep import UpkeepMethods, touch
from fluent_ai.memory.vectors import stored

if TYPE_CHECKING:
    from fluent_ai.embeddings import EmbeddingModel
    from fluent_ai.memory.vectors import Progress

DEFAULT_EMBEDDER = "local/all-minilm-l6-v2"


class Memory(
    GraphMethods,
    UpkeepMethods,
    ConsolidationMethods,
    SummaryMethods,
    FactMethods,
    ReembedMethods,
    ListingMethods,
    TransferMethods,
):
    """A memory store at ``url``: ``mem://``, ``surrealkv://PATH`` or ``ws://HOST:PORT``.

    Close it (``aclose()``, ``async with``, ``close()``, ``with``) to save its vector
    index and release its lock (a store never closed has its index rebuilt when next
    opened).
    """

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
        on_event: EventCallback | None = None,
    ) -> Memory:
        """A store at ``url`` (checked now, opened on first use).

        ``embedder`` turns text into vectors (a model spec or an
        :class:`~fluent_ai.embeddings.EmbeddingModel`; ``None`` means every call passes
        its own ``vector=``). ``dimensions`` is checked against the store's. A server
        takes ``username`` / ``password`` (else ``SURREAL_USER`` / ``SURREAL_PASS``).
        ``on_progress`` is told how far a rebuild of the vector index has got;
        ``on_event`` gets a :class:`~fluent_ai.memory.MemoryEvent` for every write and
        search (see :mod:`fluent_ai.memory.observe`; figures in :meth:`metrics`).
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
            ),
            on_event,
        )

    @observed("add", lambda record: [record.id])
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
        return memory(await state.insert(data, checked))

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

    @observed("search", lambda hits: [hit.memory.id for hit in hits])
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
        context: Sequence[str] = (),
        context_weight: float = 0.5,
    ) -> list[Hit]:
        """The ``k`` memories that best match ``query``, each saying why it ranked.

        ``mode``: ``"vector"`` (meaning), ``"text"`` (words, BM25) or ``"hybrid"`` (both,
        fused). ``since`` / ``until`` bound when a memory was made; ``as_of`` shows what
        was believed then (replaced facts included, later ones left out). ``expand``
        follows edges up to that many steps from the ``k`` hits and appends up to ``k``
        memories per step reached that way, each scored by the hit's score times the
        strengths along the best path. ``rank="cognitive"`` weighs relevance by recency,
        retrievals and importance (:mod:`fluent_ai.memory.cognition`). Each hit counts
        as a retrieval unless ``track_access=False``. ``context`` (earlier messages,
        rewrites) is blended into the query at ``context_weight``, its vector and its
        words (:mod:`fluent_ai.memory.query`).
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
            wanted = (
                vector
                if vector is not None
                else await self._query_vector(text, context, context_weight)
            )
            checked = validate.vector(wanted, state.dimensions)
            lists["vector"] = await by_vector(
                state.connection, state.index, checked, width, filters
            )
        if mode in ("text", "hybrid") and text is not None:
            lists["text"] = await by_text(
                state.connection, state.words, text, width, filters, context, context_weight
            )
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

    @observed("delete")
    async def delete(self, memory_id: str) -> None:
        """Erase a memory and its edges for good (to retire a fact, :meth:`invalidate` it)."""
        key = validate.memory_id(memory_id)
        state = await self._session.ready()
        await require(state, self.url, key)
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
        state.words.remove([key])
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

    async def _query_vector(
        self, text: str | None, context: Sequence[str], weight: float
    ) -> list[float]:
        if text is None:
            raise InvalidMemoryError("a vector search needs a query text or a vector")
        extra = [validate.content(line) for line in context]
        question, *around = await self._session.embed([text, *extra], "query")
        return blend(question, around, weight)

    # The sync twins, for scripts and notebooks.

    def add_sync(self, content: str, **options: Any) -> MemoryRecord:
        return run_sync(self.add(content, **options))

    def get_sync(self, memory_id: str) -> MemoryRecord:
        return run_sync(self.get(memory_id))

    def search_sync(self, query: str | None = None, **options: Any) -> list[Hit]:
        return run_sync(self.search(query, **options))

    def delete_sync(self, memory_id: str) -> None:
        run_sync(self.delete(memory_id))

    def count_sync(self, **options: Any) -> int:
        return run_sync(self.count(**options))
