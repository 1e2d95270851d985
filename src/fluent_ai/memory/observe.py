"""What a store did and how long it took: an event per operation, and running figures.

A memory that an agent writes to on every turn needs watching like any other
dependency: what was written (to mirror it, audit it, invalidate a cache), what
failed, and how slow it is getting as it grows. Every write and every search of a
:class:`~fluent_ai.memory.Memory` goes through :func:`observed`, which times it, hands a
:class:`MemoryEvent` to the ``on_event`` callback given to ``Memory.open`` and adds the
time to :meth:`Observer.stats`. A failed operation is an event too, with its error,
and counts as an error; a callback that raises is logged and never undoes or fails the
operation it reports (that has happened already).
"""

from __future__ import annotations

import functools
import inspect
import logging
import statistics
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, Concatenate, Literal, ParamSpec, Protocol, TypeVar

logger = logging.getLogger("fluent_ai.memory")

Operation = Literal[
    "add",
    "delete",
    "search",
    "learn",
    "relate",
    "expire",
    "invalidate",
    "consolidate",
    "decay",
    "restore",
    "summarize",
    "reembed",
    "import",
]

_WINDOW = 1024
"""How many recent timings of each operation the percentiles are taken over."""


@dataclass(frozen=True, slots=True)
class MemoryEvent:
    """One operation: ``ids`` names what it wrote or found (memories or edges, as the
    operation returns them), ``seconds`` how long it took, ``error`` why it failed."""

    operation: Operation
    ids: tuple[str, ...]
    seconds: float
    error: BaseException | None = None


@dataclass(frozen=True, slots=True)
class OperationStats:
    """Running figures of one operation since the store was opened: counts of all
    calls and of failed ones; latency percentiles over the last 1,024 calls."""

    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    max_ms: float


EventCallback = Callable[[MemoryEvent], object]


@dataclass(slots=True)
class _Figures:
    count: int = 0
    errors: int = 0
    seconds: deque[float] = field(default_factory=lambda: deque(maxlen=_WINDOW))


class Observer:
    """Collects the figures of one store and calls its ``on_event`` callback."""

    def __init__(self, callback: EventCallback | None = None) -> None:
        self.callback = callback
        self._figures: dict[str, _Figures] = {}

    async def record(self, event: MemoryEvent) -> None:
        figures = self._figures.setdefault(event.operation, _Figures())
        figures.count += 1
        figures.errors += event.error is not None
        figures.seconds.append(event.seconds)
        if self.callback is None:
            return
        try:
            result = self.callback(event)
            if inspect.isawaitable(result):
                await result
        except Exception:  # the operation is done; a broken callback must not undo it
            logger.warning("the memory on_event callback failed on %s", event, exc_info=True)

    def stats(self) -> dict[str, OperationStats]:
        """The figures of each operation done so far, by name."""
        return {name: _summary(figures) for name, figures in sorted(self._figures.items())}


def _summary(figures: _Figures) -> OperationStats:
    times = sorted(figures.seconds)
    cuts = statistics.quantiles(times, n=20, method="inclusive") if len(times) > 1 else times
    return OperationStats(
        count=figures.count,
        errors=figures.errors,
        p50_ms=statistics.median(times) * 1000,
        p95_ms=cuts[-1] * 1000,
        max_ms=times[-1] * 1000,
    )


class _Observed(Protocol):
    _observer: Observer


S = TypeVar("S", bound=_Observed)
P = ParamSpec("P")
R = TypeVar("R")


def observed(
    operation: Operation, ids: Callable[[Any], Iterable[str]] | None = None
) -> Callable[
    [Callable[Concatenate[S, P], Awaitable[R]]], Callable[Concatenate[S, P], Coroutine[Any, Any, R]]
]:
    """Time a method of a store and report it as ``operation``; ``ids`` reads the ids
    from its result (without it, the method's first argument is the id, or none)."""

    def decorate(
        method: Callable[Concatenate[S, P], Awaitable[R]],
    ) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
        @functools.wraps(method)
        async def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            named = tuple(a for a in args[:1] if isinstance(a, str)) if ids is None else ()
            started = time.perf_counter()
            try:
                result = await method(self, *args, **kwargs)
            except Exception as exc:
                await self._observer.record(
                    MemoryEvent(operation, named, time.perf_counter() - started, exc)
                )
                raise
            found = tuple(str(i) for i in ids(result)) if ids is not None else named
            event = MemoryEvent(operation, found, time.perf_counter() - started)
            await self._observer.record(event)
            return result

        return run

    return decorate
