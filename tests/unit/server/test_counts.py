"""The gateway's plain counts read as prometheus_client's own metrics would be."""

from __future__ import annotations

import pytest

pytest.importorskip("prometheus_client", reason="the server extra is not installed")

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.registry import Collector

from fluent_ai.server.counts import SECONDS, Counts

VALUES = (0.0, 0.005, 0.0051, 0.3, 1.0, 1.5, 120.0, 120.5, 9e9)
"""Times on bucket bounds (a bound holds values equal to it), between them and past the last."""


def exposition(collector: Collector) -> list[str]:
    registry = CollectorRegistry()
    registry.register(collector)
    lines = generate_latest(registry).decode().splitlines()
    return [line for line in lines if "_created" not in line]


def test_the_families_are_those_prometheus_clients_metrics_give() -> None:
    counts = Counts()
    reference = CollectorRegistry()
    requests = Counter(
        "fluent_ai_gateway_requests",
        "Requests answered.",
        ("path", "model", "status"),
        registry=reference,
    )
    seconds = Histogram(
        "fluent_ai_gateway_request_seconds",
        "Time from request to last byte.",
        ("path", "model"),
        buckets=SECONDS,
        registry=reference,
    )
    Histogram(
        "fluent_ai_gateway_first_byte_seconds",
        "Time from request to the first byte of the body.",
        ("path", "model"),
        buckets=SECONDS,
        registry=reference,
    )
    tokens = Counter(
        "fluent_ai_gateway_tokens",
        "Tokens, by model and kind.",
        ("model", "kind"),
        registry=reference,
    )
    in_flight = Gauge("fluent_ai_gateway_in_flight", "Requests being served.", registry=reference)
    for value in VALUES:
        counts.answered("/v1/messages", "fast", 200)
        requests.labels("/v1/messages", "fast", "200").inc()
        counts.timed(counts.seconds, "/v1/messages", "fast").observe(value)
        seconds.labels("/v1/messages", "fast").observe(value)
    counts.answered("/v1/messages", "fast", 429)
    requests.labels("/v1/messages", "fast", "429").inc()
    counts.used("fast", "output", 7)
    tokens.labels("fast", "output").inc(7)
    counts.in_flight += 2
    in_flight.inc(2)
    assert exposition(counts) == [
        line for line in generate_latest(reference).decode().splitlines() if "_created" not in line
    ]


def test_a_histogram_counts_each_value_once_in_its_own_bucket() -> None:
    counts = Counts()
    timings = counts.timed(counts.first_byte, "/v1/chat/completions", "m")
    for value in VALUES:
        timings.observe(value)
    assert sum(timings.counts) == len(VALUES)
    assert timings.counts[0] == 2  # 0 and 0.005: at most the first bound
    assert timings.counts[-1] == 2  # past 120 s: only the +Inf bucket
    assert timings.buckets()[-1] == ("+Inf", float(len(VALUES)))
    assert timings.total == pytest.approx(sum(VALUES))
    assert counts.timed(counts.first_byte, "/v1/chat/completions", "m") is timings
