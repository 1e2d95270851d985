"""Several workers' metrics summed: each counts in its own process and shares a snapshot.

``fluent-ai serve --workers N`` runs N processes, and ``/metrics`` from any of them
must report all N. prometheus_client's multiprocess mode does that by writing every
increment to a memory-mapped file: about 1.2 µs an increment, nine a request, which
measured as 15% of a worker's requests/s on the gateway's benchmark. Here each worker
counts in its own registry (about 0.3 µs an increment) and writes a snapshot of it to
the shared directory once a second (:meth:`SharedMetrics.publish`, about 0.1 ms);
``/metrics`` sums the worker's live values with the other workers' latest snapshots
(:meth:`SharedMetrics.render`). So another worker's counts show up within a second.

Counters and histograms are summed whatever became of the worker that wrote them (a
worker replaced on ``SIGHUP`` keeps its counts); a gauge (the requests in flight) only
from snapshots fresh enough to be a live worker's. The ``_created`` series are left out,
as in prometheus_client's multiprocess mode: a sum of start times means nothing.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

log = logging.getLogger("fluent_ai.server")

INTERVAL = 1.0
"""Seconds between a worker's snapshots."""
STALE = 5 * INTERVAL
"""A snapshot older than this is not a live worker's: its gauges are left out."""

Sample = tuple[str, dict[str, str], float]
Family = tuple[str, str, str, list[Sample]]
"""A metric family as a snapshot holds it: name, help, type and samples."""


class SharedMetrics:
    """``registry``'s metrics, shared with the other workers writing to ``folder``
    (this one's snapshot named ``worker``: its process id by default)."""

    def __init__(
        self, registry: CollectorRegistry, folder: Path | None, worker: str | None = None
    ) -> None:
        self.registry = registry
        self.folder = folder
        name = worker or str(os.getpid())
        self._own = folder / f"{name}.json" if folder is not None else None

    def render(self) -> bytes:
        """Every worker's metrics summed, in Prometheus' text format."""
        merged = CollectorRegistry()
        merged.register(_Merged(self._families()))
        return generate_latest(merged)

    def publish(self) -> None:
        """Write this worker's snapshot (no-op without a shared folder)."""
        if self._own is None:
            return
        partial = self._own.with_suffix(".part")
        partial.write_bytes(orjson.dumps(self._live()))
        partial.replace(self._own)  # readers see the old snapshot or the new, never half

    async def run(self) -> None:
        """Publish every :data:`INTERVAL` until cancelled, then once more (at once
        done without a shared folder). A snapshot that cannot be written is logged,
        once until one is written again, and tried again a second later."""
        if self._own is None:
            return
        failing = False
        try:
            while True:
                await asyncio.sleep(INTERVAL)
                try:
                    self.publish()
                except OSError as exc:
                    if not failing:
                        log.warning(
                            "the metrics snapshot for other workers was not written: %s", exc
                        )
                    failing = True
                else:
                    failing = False
        finally:
            try:
                self.publish()
            except OSError as exc:
                log.warning("the last metrics snapshot for other workers was not written: %s", exc)

    def _families(self) -> list[Metric]:
        families: dict[str, Metric] = {}
        sums: dict[tuple[str, str, tuple[tuple[str, str], ...]], float] = {}
        for name, documentation, kind, samples in self._snapshots():
            family = families.get(name)
            if family is None:
                family = families[name] = Metric(name, documentation, kind)
            for sample_name, labels, value in samples:
                if sample_name.endswith("_created"):
                    continue
                key = (name, sample_name, tuple(sorted(labels.items())))
                sums[key] = sums.get(key, 0.0) + value
        for (name, sample_name, pairs), value in sums.items():
            families[name].add_sample(sample_name, dict(pairs), value)
        return list(families.values())

    def _live(self) -> list[Family]:
        """This worker's metrics now, in the snapshot's shape."""
        return [
            (m.name, m.documentation, m.type, [(s.name, s.labels, s.value) for s in m.samples])
            for m in self.registry.collect()
        ]

    def _snapshots(self) -> Iterator[Family]:
        """This worker's live metrics, then each other worker's snapshot."""
        yield from self._live()
        if self.folder is None:
            return
        now = time.time()
        for path in self.folder.glob("*.json"):
            if path == self._own:
                continue
            try:
                fresh = now - path.stat().st_mtime < STALE
                families = _read(path.read_bytes())
            except (OSError, ValueError, TypeError, AttributeError):
                continue  # gone meanwhile (the folder removed), or not a snapshot
            for name, documentation, kind, samples in families:
                if kind != "gauge" or fresh:
                    yield name, documentation, kind, samples


def _read(snapshot: bytes) -> list[Family]:
    """A snapshot's families; ``ValueError``, ``TypeError`` or ``AttributeError`` if it
    is not one."""
    families = []
    for name, documentation, kind, samples in orjson.loads(snapshot):
        read = [
            (str(n), {str(k): str(v) for k, v in labels.items()}, float(value))
            for n, labels, value in samples
        ]
        families.append((str(name), str(documentation), str(kind), read))
    return families


class _Merged(Collector):
    """A collector that hands out metric families already summed."""

    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> list[Metric]:
        return self._families
