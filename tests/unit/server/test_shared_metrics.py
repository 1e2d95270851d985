"""Workers' metrics summed through snapshots in a shared folder."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

import pytest

pytest.importorskip("prometheus_client", reason="the server extra is not installed")

from fluent_ai.server.observe import Noted, Telemetry
from fluent_ai.server.shared_metrics import STALE, SharedMetrics

SCOPE = {"type": "http", "path": "/v1/chat/completions", "method": "POST"}


def worker(folder: Path | None, name: str, calls: int, in_flight: int = 0) -> Telemetry:
    """A worker's telemetry after ``calls`` answered calls, ``in_flight`` still running."""
    telemetry = Telemetry(folder)
    telemetry.shared = SharedMetrics(telemetry.registry, folder, worker=name)
    for _ in range(calls):
        noted = Noted(model="fast", input_tokens=3, output_tokens=5)
        telemetry.finished(SCOPE, 200, 0.02, 0.01, noted)
    telemetry.counts.in_flight += in_flight
    return telemetry


def value(text: str, series: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


REQUESTS = 'fluent_ai_gateway_requests_total{model="fast",path="/v1/chat/completions",status="200"}'
BUCKET = (
    'fluent_ai_gateway_request_seconds_bucket{le="0.025",model="fast",path="/v1/chat/completions"}'
)
COUNT = 'fluent_ai_gateway_request_seconds_count{model="fast",path="/v1/chat/completions"}'
TOKENS = 'fluent_ai_gateway_tokens_total{kind="output",model="fast"}'


def test_each_worker_reports_every_workers_counts_once_published(tmp_path: Path) -> None:
    one, two = worker(tmp_path, "1", calls=2, in_flight=1), worker(tmp_path, "2", calls=3)
    assert value(one.render().decode(), REQUESTS) == 2  # the other has not published yet
    two.shared.publish()
    text = one.render().decode()
    assert value(text, REQUESTS) == 5
    assert value(text, BUCKET) == 5  # histograms summed bucket by bucket
    assert value(text, COUNT) == 5
    assert value(text, TOKENS) == 25
    assert value(text, "fluent_ai_gateway_in_flight") == 1
    assert "_created" not in text  # a sum of start times means nothing
    one.shared.publish()
    assert value(two.render().decode(), REQUESTS) == 5  # whichever worker is asked


def test_a_stale_snapshot_keeps_its_counts_but_not_its_gauges(tmp_path: Path) -> None:
    gone = worker(tmp_path, "gone", calls=4, in_flight=2)
    gone.shared.publish()
    past = time.time() - STALE - 1
    os.utime(tmp_path / "gone.json", (past, past))
    text = worker(tmp_path, "live", calls=1, in_flight=1).render().decode()
    assert value(text, REQUESTS) == 5  # a replaced worker's counts stay counted
    assert value(text, "fluent_ai_gateway_in_flight") == 1  # its calls in flight do not


@pytest.mark.parametrize("content", [b"not json", b"{}", b'[["x", "", "counter", [["x", 1, 2]]]]'])
def test_a_file_that_is_not_a_snapshot_is_left_out(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "other.json").write_bytes(content)
    assert value(worker(tmp_path, "1", calls=1).render().decode(), REQUESTS) == 1


def test_without_a_folder_the_workers_own_counts_are_reported(tmp_path: Path) -> None:
    telemetry = worker(None, "1", calls=2)
    telemetry.shared.publish()  # nothing to write to
    assert value(telemetry.render().decode(), REQUESTS) == 2
    assert list(tmp_path.iterdir()) == []


async def test_publishing_runs_until_cancelled_and_writes_once_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fluent_ai.server.shared_metrics.INTERVAL", 0.01)
    telemetry = worker(tmp_path, "1", calls=1)
    task = asyncio.create_task(telemetry.shared.run())
    while not (tmp_path / "1.json").exists():  # noqa: ASYNC110  # a file has no event to wait on
        await asyncio.sleep(0.01)
    telemetry.finished(SCOPE, 200, 0.02, 0.01, Noted(model="fast"))
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    reader = worker(tmp_path, "2", calls=0)
    assert value(reader.render().decode(), REQUESTS) == 2  # the last call made it out
    assert [p.name for p in tmp_path.iterdir()] == ["1.json"]  # noqa: ASYNC240  # no partial file left


async def test_a_snapshot_that_cannot_be_written_is_logged_once_and_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("fluent_ai.server.shared_metrics.INTERVAL", 0.01)
    # Whatever level an earlier test left on the way up, warnings are what is counted.
    caplog.set_level(logging.WARNING, logger="fluent_ai.server.shared_metrics")
    folder = tmp_path / "metrics"  # not there yet: every write fails
    telemetry = worker(folder, "1", calls=1)

    def warnings() -> list[logging.LogRecord]:
        return [r for r in caplog.records if "metrics snapshot" in r.getMessage()]

    task = asyncio.create_task(telemetry.shared.run())
    # The first failure, however late a loaded machine runs the task, then more.
    deadline = time.monotonic() + 10
    while not warnings() and time.monotonic() < deadline:  # noqa: ASYNC110  # no event to wait on
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)  # several more failed tries
    folder.mkdir()  # the folder comes back
    while not (folder / "1.json").exists():  # noqa: ASYNC110  # a file has no event to wait on
        await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert len(warnings()) == 1
