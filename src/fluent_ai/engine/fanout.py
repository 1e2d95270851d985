"""One upstream stream read once and replayed to any number of followers.

The upstream is read by its own task, not by whichever follower happens to pull, so a
slow or cancelled follower never holds the others back or ends their stream. Every
event is kept for the life of the stream: a follower that joins late starts from the
first event, and all of them see the same events in the same order. When the upstream
fails, each follower raises the same exception object (with the traceback it had when
it was caught, as :class:`asyncio.Future` does), so a typed provider error stays that
type for everyone. When the last follower leaves before the end, the upstream is
closed, since nobody is left to pay for.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from types import TracebackType

from fluent_ai.types import StreamEvent, StreamInterruptedError


class FanOut:
    """Read ``source`` in a task of its own and keep every event for its followers.

    A follower calls :meth:`join`, reads :attr:`events` from index 0, awaits :meth:`more`
    whenever it has read them all and the stream is not :attr:`done`, calls
    :meth:`raise_error` at the end and :meth:`leave` in a ``finally``. The loop is
    the follower's own (see :meth:`Deduplicated.stream
    <fluent_ai.engine.dedup.Deduplicated.stream>`), not a generator here, so that each
    event passes through one generator, not two: per-chunk cost is what we measure.

    ``on_end`` runs once, when the upstream has finished, failed or been abandoned, so
    the owner can stop handing this stream to new callers.
    """

    __slots__ = (
        "_error",
        "_followers",
        "_on_end",
        "_sleepers",
        "_task",
        "done",
        "events",
    )

    def __init__(
        self, source: AsyncGenerator[StreamEvent, None], on_end: Callable[[], None]
    ) -> None:
        self.events: list[StreamEvent] = []
        self.done = False
        self._error: tuple[Exception, TracebackType | None] | None = None
        self._followers = 0
        self._sleepers: list[asyncio.Future[None]] = []
        self._on_end = on_end
        self._task = asyncio.get_running_loop().create_task(self._pump(source))

    @property
    def followers(self) -> int:
        """How many callers are reading this stream now."""
        return self._followers

    async def _pump(self, source: AsyncGenerator[StreamEvent, None]) -> None:
        try:
            async with aclosing(source) as events:
                async for event in events:
                    self.events.append(event)
                    self._wake()
        except Exception as exc:  # every follower raises it: raise_error()
            self._error = (exc, exc.__traceback__)
        except asyncio.CancelledError:
            if self._followers:
                # Cancelled from outside (the loop is shutting down) while callers read:
                # they must not take the events so far for a whole answer.
                interrupted = StreamInterruptedError(
                    "the shared upstream stream was cancelled before it ended",
                    partial=list(self.events),
                )
                self._error = (interrupted, None)
            raise
        finally:
            self._end()

    def _end(self) -> None:
        if not self.done:
            self.done = True
            self._wake()
            self._on_end()

    def _wake(self) -> None:
        if not self._sleepers:
            return
        sleepers, self._sleepers = self._sleepers, []
        for sleeper in sleepers:
            if not sleeper.done():
                sleeper.set_result(None)

    def join(self) -> None:
        """Count a new follower; it reads :attr:`events` from index 0."""
        self._followers += 1

    def leave(self) -> None:
        """A follower is gone (finished, stopped or cancelled); the last one out closes."""
        self._followers -= 1
        if self._followers == 0 and not self.done:
            self._task.cancel()
            self._end()

    async def more(self) -> None:
        """Wait until an event is added or the stream ends.

        Each follower waits on a future of its own: cancelling a follower cancels only
        its future, never one that the others wait on.
        """
        sleeper = asyncio.get_running_loop().create_future()
        self._sleepers.append(sleeper)
        await sleeper

    def raise_error(self) -> None:
        """At the end: raise the upstream's error, if it failed."""
        if self._error is not None:
            error, traceback = self._error
            raise error.with_traceback(traceback)


__all__ = ["FanOut"]
