"""Running figures per model or deployment, built from call events.

:class:`Metrics` is itself an event callback: every
:class:`~fluent_ai.engine.observe.Observed` keeps one (read with
``observed.metrics()``), and one passed as ``on_event`` to a
:class:`~fluent_ai.engine.Router` gathers the figures of every deployment in one place.
Recording an event is O(1) (counters, and a latency appended to a bounded ring);
percentiles are worked out only when :meth:`Metrics.snapshot` is called.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from fluent_ai.engine.observe_events import CallEnd, CallEvent, CallStart
from fluent_ai.engine.stats import Percentiles, percentiles

WINDOW = 1024
"""How many recent latencies of each model the percentiles are taken over."""


def metrics_key(event: CallStart | CallEnd) -> str:
    """What figures are kept per: the deployment's name, else ``provider/model``."""
    return event.deployment or f"{event.provider}/{event.model}"


@dataclass(frozen=True, slots=True)
class CallStats:
    """The figures of one model or deployment since observing began.

    ``requests`` counts ended calls: ``errors`` of them failed (``error_types`` by error
    class) and ``cancelled`` were stopped by their caller; ``in_flight`` are under way.
    Tokens and cost add up every call that reported usage (failed streams included:
    their tokens were spent); ``unpriced`` counts calls that used tokens without a known
    price, so ``cost_usd`` is a lower bound when it is not 0. ``latency`` (whole calls)
    and ``first_event`` (streams) are percentiles in seconds over the last 1,024
    answered calls, ``None`` before the first.
    """

    requests: int
    errors: int
    cancelled: int
    in_flight: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    unpriced: int
    latency: Percentiles | None
    first_event: Percentiles | None
    error_types: dict[str, int]

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0


@dataclass(slots=True)
class _Figures:
    requests: int = 0
    errors: int = 0
    cancelled: int = 0
    in_flight: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0
    latency: deque[float] = field(default_factory=lambda: deque(maxlen=WINDOW))
    first_event: deque[float] = field(default_factory=lambda: deque(maxlen=WINDOW))
    error_types: dict[str, int] = field(default_factory=dict)

    def end(self, event: CallEnd) -> None:
        self.requests += 1
        self.in_flight = max(0, self.in_flight - 1)
        usage = event.usage
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        if event.cost_usd is not None:
            self.cost_usd += event.cost_usd
        elif usage.total_tokens:
            self.unpriced += 1
        if event.outcome == "error":
            self.errors += 1
            label = event.error_type or "error"
            self.error_types[label] = self.error_types.get(label, 0) + 1
        elif event.outcome == "cancelled":
            self.cancelled += 1
        else:
            self.latency.append(event.latency)
            if event.first_event is not None:
                self.first_event.append(event.first_event)

    def stats(self) -> CallStats:
        return CallStats(
            requests=self.requests,
            errors=self.errors,
            cancelled=self.cancelled,
            in_flight=self.in_flight,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cost_usd=self.cost_usd,
            unpriced=self.unpriced,
            latency=percentiles(list(self.latency)),
            first_event=percentiles(list(self.first_event)),
            error_types=dict(self.error_types),
        )


class Metrics:
    """Figures per model or deployment; call it with events (it is an ``on_event``)."""

    def __init__(self) -> None:
        self._figures: dict[str, _Figures] = {}

    def __call__(self, event: CallEvent) -> None:
        self.add(event)

    def add(self, event: CallEvent) -> None:
        key = metrics_key(event)
        figures = self._figures.get(key)
        if figures is None:
            figures = self._figures[key] = _Figures()
        if type(event) is CallStart:
            figures.in_flight += 1
        elif isinstance(event, CallEnd):
            figures.end(event)

    def snapshot(self) -> dict[str, CallStats]:
        """Each model's or deployment's figures so far, by name."""
        return {key: figures.stats() for key, figures in sorted(self._figures.items())}

    def __repr__(self) -> str:
        return f"Metrics({', '.join(sorted(self._figures))})"


__all__ = ["CallStats", "Metrics", "metrics_key"]
