"""The response cache: an answer kept for a request asked again, exactly or nearly.

:class:`Cached` wraps any chat model and is one itself. It keys answers by the
normalized request (:mod:`fluent_ai.engine.request_key`, shared with
de-duplication), keeps them in a :class:`~fluent_ai.engine.cache_store.CacheStore` (in
memory by default, SQLite on disk) for a time to live and within a size bound, and
keeps them as stream events: a cached stream replays as the same events, and a cached
``complete`` is those events collected.

What is cached, and when:

* only requests with deterministic settings (temperature 0 or a seed), unless
  ``nondeterministic=True`` or the request says ``metadata={"fluent_ai.cache":
  "always"}``; ``"off"`` skips the cache, ``"refresh"`` skips the lookup but stores the
  new answer (:mod:`fluent_ai.engine.controls`);
* only whole answers: a stream that fails, or whose reader stops early, stores nothing,
  and errors are never cached;
* with a :class:`~fluent_ai.engine.semantic.SemanticIndex`, a prompt whose embedding is
  within the threshold of a cached prompt (same model, history and settings) gets that
  prompt's answer.

How a hit is reported: every hit calls ``on_hit`` with a :class:`CacheHit` and counts
in :attr:`Cached.stats`. An exact hit replays the very same events (it is the same
request's answer, so nothing in the answer changes). A semantic hit answers a
*different* prompt, which the reader must be able to tell from the response alone, so
it also carries a :class:`~fluent_ai.types.ProviderData` event just before the finish
with ``{"fluent_ai.cache": {"kind", "similarity", "threshold"}}``, which lands in
``ChatResponse.extra["fluent_ai.cache"]``. The cached prompt's text is never reported:
in a shared gateway it may be another user's.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fluent_ai._closing import Closeable
from fluent_ai.engine.cache_memory import MemoryStore
from fluent_ai.engine.cache_report import HIT_KEY, CacheHit, CacheStats, with_report
from fluent_ai.engine.cache_store import CacheEntry, CacheStore, CacheStoreError
from fluent_ai.engine.controls import (
    CACHE_CONTROL,
    cache_control,
    is_deterministic,
    without_control,
)
from fluent_ai.engine.event_codec import UncacheableError, response_events
from fluent_ai.engine.request_key import request_key
from fluent_ai.providers.base import ChatModel
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    ConfigurationError,
    Finish,
    StreamError,
    StreamEvent,
    collect_events,
)

if TYPE_CHECKING:  # numpy comes with the semantic cache, only when one is made
    from fluent_ai.engine.semantic import Prompt, SemanticIndex, Vector


@dataclass(frozen=True, slots=True)
class _Plan:
    request: ChatRequest
    key: str | None
    read: bool


@dataclass(slots=True)
class _Miss:
    prompt: Prompt | None = None
    vector: Vector | None = None


class Cached(Closeable):
    """``model`` with its answers cached in ``store`` for ``ttl`` seconds.

    ``ttl=None`` keeps answers until the store's size bound evicts them. A store that
    fails (Redis down) fails the request with
    :class:`~fluent_ai.engine.cache_store.CacheStoreError`, unless ``on_store_error`` is
    given: then the failure is passed to it, counted in :attr:`stats`, and the request
    goes on as if uncached, so a cache outage does not become an outage. It owns
    ``model``, ``store`` and ``semantic``: closing it closes them.
    """

    def __init__(
        self,
        model: ChatModel,
        *,
        store: CacheStore | None = None,
        ttl: float | None = 3600.0,
        nondeterministic: bool = False,
        semantic: SemanticIndex | None = None,
        on_hit: Callable[[CacheHit], None] | None = None,
        on_store_error: Callable[[CacheStoreError], None] | None = None,
    ) -> None:
        if ttl is not None and ttl <= 0:
            raise ConfigurationError(
                f"Cached(ttl={ttl}) would keep nothing; pass seconds > 0, or None for no expiry"
            )
        self.model = model
        self.provider = model.provider
        self.store: CacheStore = store if store is not None else MemoryStore()
        self.ttl = ttl
        self.nondeterministic = nondeterministic
        self.semantic = semantic
        self.on_hit = on_hit
        self.on_store_error = on_store_error
        self.stats = CacheStats()

    def __repr__(self) -> str:
        return f"Cached({self.model!r}, store={self.store!r}, ttl={self.ttl!r})"

    def _plan(self, request: ChatRequest) -> _Plan:
        control = cache_control(request)
        forwarded = without_control(request, CACHE_CONTROL)
        wanted = control == "always" or self.nondeterministic or is_deterministic(forwarded)
        if control == "off" or not wanted:
            self.stats.bypassed += 1
            return _Plan(forwarded, None, False)
        key = request_key(forwarded, namespace=self.provider)
        return _Plan(forwarded, key, control != "refresh")

    async def _lookup(self, plan: _Plan, key: str, miss: _Miss) -> Sequence[StreamEvent] | None:
        entry = await self._get(key)
        if entry is not None:
            self.stats.hits += 1
            self._report(CacheHit("exact", key, key))
            return entry.events
        near = await self._near(plan, key, miss) if self.semantic is not None else None
        if near is None:
            self.stats.misses += 1
        return near

    async def _near(self, plan: _Plan, key: str, miss: _Miss) -> list[StreamEvent] | None:
        """A semantic hit's events (with its report), or ``None``; keeps the embedding."""
        index = self.semantic
        if index is None:
            return None
        miss.prompt = index.prompt(plan.request, self.provider)
        if miss.prompt is None:
            return None
        miss.vector = await index.vector(miss.prompt)
        match = index.nearest(miss.prompt, miss.vector)
        if match is None:
            return None
        entry = await self._get(match.key)
        if entry is None:
            index.forget(match.key)
            return None
        hit = CacheHit("semantic", key, match.key, match.similarity, index.threshold)
        self.stats.hits += 1
        self.stats.semantic_hits += 1
        self._report(hit)
        return with_report(entry.events, hit)

    async def _get(self, key: str) -> CacheEntry | None:
        try:
            return await self.store.get(key)
        except CacheStoreError as exc:
            self._store_failed(exc)
            return None

    def _store_failed(self, error: CacheStoreError) -> None:
        """Fail the request, or, with ``on_store_error``, report and go on uncached."""
        if self.on_store_error is None:
            raise error
        self.stats.store_errors += 1
        self.on_store_error(error)

    def _report(self, hit: CacheHit) -> None:
        if self.on_hit is not None:
            self.on_hit(hit)

    async def _keep(self, key: str, events: Sequence[StreamEvent], miss: _Miss) -> None:
        try:
            await self.store.set(key, tuple(events), self.ttl)
        except CacheStoreError as exc:
            self._store_failed(exc)
            return
        except UncacheableError:
            # The answer itself is fine, the store cannot hold it: answer, uncached.
            self.stats.uncacheable += 1
            return
        self.stats.stored += 1
        if self.semantic is not None and miss.prompt is not None and miss.vector is not None:
            self.semantic.add(miss.prompt, key, miss.vector)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        plan = self._plan(request)
        miss = _Miss()
        if plan.key is not None and plan.read:
            cached = await self._lookup(plan, plan.key, miss)
            if cached is not None:
                for event in cached:
                    yield event
                return
        events: list[StreamEvent] = []
        kept = plan.key is None
        async with aclosing(self.model.stream(plan.request)) as upstream:
            async for event in upstream:
                events.append(event)
                if isinstance(event, StreamError):
                    kept = True  # an error reported in-stream: never cached
                elif isinstance(event, Finish) and not kept and plan.key is not None:
                    # Kept before the finish is passed on: a reader may stop right there.
                    kept = True
                    await self._keep(plan.key, events, miss)
                yield event
        # A stream without a finish is kept once it has ended: a failure raised above,
        # and a reader that stopped early closed this generator at its last yield.
        if not kept and plan.key is not None:
            await self._keep(plan.key, events, miss)

    async def complete(self, request: ChatRequest) -> ChatResponse:
        plan = self._plan(request)
        miss = _Miss()
        if plan.key is not None and plan.read:
            cached = await self._lookup(plan, plan.key, miss)
            if cached is not None:
                return collect_events(cached)
        response = await self.model.complete(plan.request)
        if plan.key is not None:
            try:
                events = response_events(response)
            except UncacheableError:
                self.stats.uncacheable += 1
                return response
            await self._keep(plan.key, events, miss)
        return response

    async def aclose(self) -> None:
        """Close the model, the store and the semantic index's own embedder."""
        try:
            await self.model.aclose()
        finally:
            await self.store.aclose()
            if self.semantic is not None:
                await self.semantic.aclose()


__all__ = ["HIT_KEY", "CacheHit", "CacheStats", "Cached"]
