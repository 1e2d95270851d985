"""HTTP clients opened on demand, one per event loop, closed by their owner or their loop.

An httpx connection belongs to the event loop that opened it, so a model used from
``asyncio.run`` and from the sync API (whose calls run on a background loop) needs a
client on each. :class:`LoopClients` keeps them, and closes them:

* when its owner closes (a model's or an agent's ``aclose()``, ``async with``, ``with``);
* when the loop ends the way ``asyncio.run`` (and ``asyncio.Runner``, and the sync API's
  loop at exit) end one. Their last step, ``loop.shutdown_asyncgens()``, closes every
  async generator still open on the loop, and each client here is tied to one whose
  ``finally`` closes it. A script that never closes its model therefore still leaves no
  connection open for the garbage collector to find (no ``ResourceWarning``), and a
  model dropped while its loop runs has its client closed by the loop's finalizer.

A loop closed without that step (a hand-run loop, closed with ``loop.close()`` alone)
gets no such help: close the model before closing the loop.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncGenerator, Callable
from concurrent.futures import Future
from dataclasses import dataclass

from fluent_ai.http.client import HttpClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Held:
    client: HttpClient
    closer: AsyncGenerator[None, None]


class LoopClients:
    """One :class:`HttpClient` per event loop, made by ``factory`` on first use."""

    def __init__(self, factory: Callable[[], HttpClient] = HttpClient) -> None:
        self._factory = factory
        self._held: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Held] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> HttpClient:
        """The running loop's client, opened now if it has none (or its last was closed)."""
        loop = asyncio.get_running_loop()
        held = self._held.get(loop)
        if held is None or held.client.is_closed:
            client = self._factory()
            held = self._held[loop] = _Held(client, _closer_started(client))
        return held.client

    async def aclose(self) -> None:
        """Close every client; a client is opened again if the owner is used again.

        The running loop's client is closed before this returns. One on another loop
        that still runs is closed by that loop, without waiting for it: that loop may be
        the one waiting for this call (a sync ``close()`` made from async code).
        """
        here = asyncio.get_running_loop()
        held_by_loop = list(self._held.items())
        self._held.clear()
        for loop, held in held_by_loop:
            if loop is here:
                await held.closer.aclose()
            elif not loop.is_closed():
                closing = asyncio.run_coroutine_threadsafe(held.closer.aclose(), loop)
                closing.add_done_callback(_report_failure)


async def _close_at_end(client: HttpClient) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await client.aclose()


def _closer_started(client: HttpClient) -> AsyncGenerator[None, None]:
    """``_close_at_end(client)``, started on the running loop, which now tracks it.

    It awaits nothing before its ``yield``, so one synchronous step takes it there; that
    first step is when the loop's ``firstiter`` hook registers it for
    ``shutdown_asyncgens()``. The step ends in ``StopIteration``, as every step of an
    awaitable that completes does.
    """
    closer = _close_at_end(client)
    step = closer.asend(None)
    try:
        step.send(None)
    except StopIteration:
        return closer
    step.close()
    raise RuntimeError("the client's closer awaited before its first yield")


def _report_failure(closing: Future[None]) -> None:
    if not closing.cancelled() and (error := closing.exception()) is not None:
        logger.warning("closing an HTTP client on another event loop failed: %r", error)


_shared = LoopClients()


def default_client() -> HttpClient:
    """A client shared within the running event loop, for code that owns none.

    One per loop, because an httpx connection belongs to the loop that opened it. It is
    closed when its loop ends (see the module's notes) or by :meth:`HttpClient.aclose`;
    the next call then opens a new one. Models do not use it: each keeps its own
    clients, closed with the model. Call it from async code.
    """
    return _shared.get()
