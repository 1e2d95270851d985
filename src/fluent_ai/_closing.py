"""``aclose()``, and the other ways to reach it: ``async with``, ``close()`` and ``with``.

Models and agents hold connections: an HTTP pool per event loop they were used on.
Left to the garbage collector, a socket is closed whenever its objects happen to be
collected (never, in some programs), with a ``ResourceWarning`` under ``python -X dev``.
Everything that opens connections of its own derives from :class:`Closeable`, so each
is closed the same four ways.

Ownership decides what closing closes: what an object opened itself, never what it was
given (a user's own :class:`~fluent_ai.http.HttpClient` stays open for the user to close).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from fluent_ai._sync import run_sync


class Closeable(ABC):
    """Close with ``await x.aclose()``, ``async with x:``, ``x.close()`` or ``with x:``."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release the connections this object opened itself."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def close(self) -> None:
        """:meth:`aclose` for sync code: the sync API's connections live on its own loop,
        where this runs; those of other loops are closed there (or when that loop ends).
        """
        run_sync(self.aclose())

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
