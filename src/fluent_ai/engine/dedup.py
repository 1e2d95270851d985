"""Identical requests in flight at the same moment share one upstream call.

A burst of the same question (a page rendered by many users, retries from several
workers, an agent fan-out) costs one call instead of N. "Identical" is the normalized
request key of :mod:`fluent_ai.engine.request_key`, the same one the response cache
uses. Sharing lasts only while the call is in flight: once it ends, the next caller
makes a new call (keeping answers is :class:`~fluent_ai.engine.cache.Cached`'s job).

Streams are shared through :class:`~fluent_ai.engine.fanout.FanOut`: one upstream
stream, every waiter getting every event from the first, in order. ``complete`` calls
share one task the same way. A waiter that is cancelled leaves the others running;
when every waiter has gone, the upstream call is cancelled too. An upstream error
reaches every waiter as the same typed exception.

Calls are shared per event loop: a future belongs to one loop, so two threads each
running a loop never wait on each other's call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing

from fluent_ai._closing import Closeable
from fluent_ai.engine.controls import DEDUP_CONTROL, dedup_off, without_control
from fluent_ai.engine.fanout import FanOut
from fluent_ai.engine.request_key import CONTROL_PREFIX, request_key
from fluent_ai.providers.base import ChatModel
from fluent_ai.types import ChatRequest, ChatResponse, StreamEvent

_Slot = tuple[asyncio.AbstractEventLoop, str, str]


def _slot(request: ChatRequest) -> _Slot:
    """Where a call for ``request`` is shared: per loop, per key, per engine switch.

    The key leaves the engine's switches out (they are not part of the question), but a
    request that says ``{"fluent_ai.cache": "refresh"}`` must not join a call that an
    inner cache is answering from what it kept, so the switches name the slot too.
    """
    metadata = request.metadata
    switches = ""
    if metadata:
        switches = repr(sorted((k, v) for k, v in metadata.items() if k.startswith(CONTROL_PREFIX)))
    return (asyncio.get_running_loop(), request_key(request), switches)


class _SharedCall:
    """One ``complete`` task and the number of callers waiting on it."""

    __slots__ = ("task", "waiters")

    def __init__(self, task: asyncio.Task[ChatResponse]) -> None:
        self.task = task
        self.waiters = 0


class Deduplicated(Closeable):
    """A chat model that shares identical in-flight calls of ``model``.

    It is itself a :class:`~fluent_ai.providers.base.ChatModel` (same ``stream``,
    ``complete``, events and errors), so it composes with the router, the cache and the
    agent. It owns ``model``: closing it closes ``model``, as an agent closes its own.
    A request with ``metadata={"fluent_ai.dedup": "off"}`` makes its own call.
    """

    def __init__(self, model: ChatModel) -> None:
        self.model = model
        self.provider = model.provider
        self._streams: dict[_Slot, FanOut] = {}
        self._calls: dict[_Slot, _SharedCall] = {}
        self.upstream_calls = 0
        """Calls made to ``model``; the rest were shared."""

    def __repr__(self) -> str:
        return f"Deduplicated({self.model!r})"

    def in_flight(self) -> int:
        """How many distinct upstream calls are running now."""
        return len(self._streams) + len(self._calls)

    def waiters(self, request: ChatRequest) -> int:
        """How many callers share the in-flight call for ``request`` (0 if none)."""
        slot = _slot(request)
        fan = self._streams.get(slot)
        call = self._calls.get(slot)
        return (fan.followers if fan else 0) + (call.waiters if call else 0)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        if dedup_off(request):
            self.upstream_calls += 1
            async with aclosing(self.model.stream(without_control(request, DEDUP_CONTROL))) as own:
                async for event in own:
                    yield event
            return
        slot = _slot(request)
        fan = self._streams.get(slot)
        if fan is None:
            self.upstream_calls += 1
            fan = FanOut(self.model.stream(request), lambda: self._drop_stream(slot, fan))
            self._streams[slot] = fan
        fan.join()
        try:
            index = 0
            while True:
                events = fan.events
                while index < len(events):
                    event = events[index]
                    index += 1
                    yield event
                if fan.done:
                    fan.raise_error()
                    return
                await fan.more()
        finally:
            fan.leave()

    def _drop_stream(self, slot: _Slot, fan: FanOut | None) -> None:
        if self._streams.get(slot) is fan:
            del self._streams[slot]

    async def complete(self, request: ChatRequest) -> ChatResponse:
        if dedup_off(request):
            self.upstream_calls += 1
            return await self.model.complete(without_control(request, DEDUP_CONTROL))
        loop = asyncio.get_running_loop()
        slot = _slot(request)
        call = self._calls.get(slot)
        if call is None:
            self.upstream_calls += 1
            call = _SharedCall(loop.create_task(self.model.complete(request)))
            self._calls[slot] = call
            call.task.add_done_callback(lambda task: self._drop_call(slot, call, task))
        call.waiters += 1
        try:
            # shield: a waiter's cancellation must not cancel the call the others share.
            return await asyncio.shield(call.task)
        finally:
            call.waiters -= 1
            if call.waiters == 0 and not call.task.done():
                call.task.cancel()
                self._drop_call(slot, call, call.task)

    def _drop_call(self, slot: _Slot, call: _SharedCall, task: asyncio.Task[ChatResponse]) -> None:
        if self._calls.get(slot) is call:
            del self._calls[slot]
        if task.done() and not task.cancelled():
            task.exception()  # retrieved here, so an unawaited failure logs no warning

    async def aclose(self) -> None:
        """Close ``model``; calls still in flight end with its connections."""
        await self.model.aclose()


__all__ = ["Deduplicated"]
