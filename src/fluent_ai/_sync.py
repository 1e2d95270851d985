"""The bridge every sync twin uses: async code run from sync code.

One daemon thread runs one event loop for the life of the process, and sync calls hand
their coroutines to it. ``asyncio.run`` per call would be simpler, but it fails where a
loop is already running (Jupyter, IPython) and it would throw away the connection pool
of the shared HTTP client after every call; the background loop keeps that pool warm.

Closing a sync iterator early (``break``, an exception, garbage collection) closes the
async iterator behind it on the loop, so its ``finally`` blocks run and its HTTP stream
is released. Ctrl-C while waiting cancels the coroutine on the loop before re-raising.

At interpreter exit the loop is ended as ``asyncio.run`` ends its own: the async
generators still open on it are closed (the HTTP clients of models never closed are
tied to such generators, :mod:`fluent_ai.http.owned`), then the loop stops and closes.
Without that, their sockets would be found open by the garbage collector at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import threading
from collections.abc import AsyncIterable, AsyncIterator, Coroutine, Generator
from typing import Any, TypeVar

T = TypeVar("T")

logger = logging.getLogger(__name__)

_EXIT_WAIT = 5.0
"""Seconds to wait at exit for the loop to close what is open, then give up on it."""

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on the background loop and wait for its result or exception."""
    loop = _background_loop()
    if threading.current_thread() is _thread:
        coro.close()
        raise RuntimeError(
            "a sync fluent-ai call was made from async code running on fluent-ai's own "
            "event loop, where waiting would deadlock; await the async version instead"
        )
    future = asyncio.run_coroutine_threadsafe(coro, loop)
    return _wait(future)


def iter_sync(iterable: AsyncIterable[T]) -> Generator[T, None, None]:
    """Iterate ``iterable`` from sync code, each item fetched on the background loop.

    ``close()`` on the result (or leaving a ``for`` loop over it early, once it is
    garbage) closes ``iterable`` too.
    """
    iterator = aiter(iterable)
    try:
        while True:
            try:
                item = run_sync(_next(iterator))
            except StopAsyncIteration:
                return
            yield item
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            run_sync(aclose())


async def _next(iterator: AsyncIterator[T]) -> T:
    return await anext(iterator)


def _wait(future: concurrent.futures.Future[T]) -> T:
    try:
        return future.result()
    except BaseException:
        # KeyboardInterrupt lands here, in the waiting thread: stop the work too.
        future.cancel()
        raise


def _background_loop() -> asyncio.AbstractEventLoop:
    """The loop, started on first use (and again in a child process after a fork)."""
    global _loop, _thread
    with _lock:
        if _loop is None or _thread is None or not _thread.is_alive():
            _loop = asyncio.new_event_loop()
            _thread = threading.Thread(
                target=_loop.run_forever, name="fluent-ai-event-loop", daemon=True
            )
            _thread.start()
            atexit.register(_end_at_exit, _loop, _thread)
        return _loop


def _end_at_exit(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    """Close the loop's open async generators, then stop and close the loop.

    Registered once per loop; a loop already replaced (after a fork) has no thread left
    and is skipped. A loop still busy after :data:`_EXIT_WAIT` is left to the exit.
    """
    if not thread.is_alive() or loop.is_closed():
        return
    closing = asyncio.run_coroutine_threadsafe(loop.shutdown_asyncgens(), loop)
    try:
        closing.result(timeout=_EXIT_WAIT)
    except concurrent.futures.TimeoutError:
        logger.warning("the sync API's event loop was still busy at exit; leaving it open")
        return
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=_EXIT_WAIT)
    if not thread.is_alive():
        loop.close()
