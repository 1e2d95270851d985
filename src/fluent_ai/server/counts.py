"""The gateway's metrics as plain numbers, made Prometheus families only when read.

prometheus_client's metric objects take a lock and check their state on every
increment (0.3 µs a counter, 0.7 µs a histogram, nine a request): with the metrics
turned off in a scratch copy, a worker served 8% more requests/s. The gateway counts
on its event loop alone, and reads its counts there too (``/metrics``, the snapshot
for the other workers), so no lock is needed: here a request is a few dictionary
updates, and :class:`Counts` hands the registry the same families (names, labels,
buckets) as prometheus_client's ``Counter``, ``Histogram`` and ``Gauge`` would, when
it is collected.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
"""Histogram buckets, seconds: from a cached answer to a long generation."""

_BOUNDS = (*(floatToGoString(bound) for bound in SECONDS), "+Inf")  # type: ignore[no-untyped-call]
"""The buckets' ``le`` labels, spelt as prometheus_client's ``Histogram`` spells them."""


class Timings:
    """One histogram series: how many values fell in each bucket (not cumulative:
    made so when read), and their sum."""

    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(SECONDS) + 1)
        self.total = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(SECONDS, value)] += 1  # a bucket holds values <= its bound
        self.total += value

    def buckets(self) -> list[tuple[str, float]]:
        """Each bucket's ``le`` label with the values at most its bound, as Prometheus counts."""
        return [
            (bound, float(count))
            for bound, count in zip(_BOUNDS, accumulate(self.counts), strict=True)
        ]


class Counts(Collector):
    """Requests by path, model and status; their times to the last and to the first
    byte by path and model; tokens by model and kind; and the requests in flight."""

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], int] = {}
        self.seconds: dict[tuple[str, str], Timings] = {}
        self.first_byte: dict[tuple[str, str], Timings] = {}
        self.tokens: dict[tuple[str, str], int] = {}
        self.in_flight = 0

    def answered(self, path: str, model: str, status: int) -> None:
        key = (path, model, status)
        self.requests[key] = self.requests.get(key, 0) + 1

    def timed(self, table: dict[tuple[str, str], Timings], path: str, model: str) -> Timings:
        """The series of ``table`` (:attr:`seconds` or :attr:`first_byte`) for a path and model."""
        found = table.get((path, model))
        if found is None:
            found = table[path, model] = Timings()
        return found

    def used(self, model: str, kind: str, tokens: int) -> None:
        key = (model, kind)
        self.tokens[key] = self.tokens.get(key, 0) + tokens

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "fluent_ai_gateway_requests", "Requests answered.", labels=("path", "model", "status")
        )
        for (path, model, status), count in self.requests.items():
            requests.add_metric((path, model, str(status)), count)
        yield requests
        yield _histogram(
            "fluent_ai_gateway_request_seconds", "Time from request to last byte.", self.seconds
        )
        yield _histogram(
            "fluent_ai_gateway_first_byte_seconds",
            "Time from request to the first byte of the body.",
            self.first_byte,
        )
        tokens = CounterMetricFamily(
            "fluent_ai_gateway_tokens", "Tokens, by model and kind.", labels=("model", "kind")
        )
        for labels, count in self.tokens.items():
            tokens.add_metric(labels, count)
        yield tokens
        yield GaugeMetricFamily(
            "fluent_ai_gateway_in_flight", "Requests being served.", value=self.in_flight
        )


def _histogram(
    name: str, documentation: str, table: dict[tuple[str, str], Timings]
) -> HistogramMetricFamily:
    family = HistogramMetricFamily(name, documentation, labels=("path", "model"))
    for labels, timings in table.items():
        family.add_metric(labels, timings.buckets(), timings.total)
    return family
