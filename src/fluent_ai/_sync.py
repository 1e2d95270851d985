"""The bridge every sync twin uses: async code run from sync code.

One daemon thread runs one event loop for the life of the process, and sync calls hand
their coroutines to it. ``asyncio.run`` per call would be simpler, but it fails where a
loop is already running (Jupyter, IPython) and it would throw away the connection pool
of the shared HTTP client after every call; the background loop keeps that pool warm.

Closing a sync iterator early (``break``, an exception, garbage collection) closes the
async iterator behind it on the loop, so its ``finally`` blocks run and its HTTP stream
is released. Ctrl-C while waiting cancels the coroutine on the loop before re-raising.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import AsyncIterable, AsyncIterator, Coroutine, Generator
from typing import Any, TypeVar

T = TypeVar("T")

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
        return _loop
