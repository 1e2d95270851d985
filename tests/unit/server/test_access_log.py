"""Access lines held and written together: each second, when many wait, and at close."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Callable, Iterator

import pytest

from fluent_ai.server import access_log, observe
from fluent_ai.server.access_log import BufferedLines, sole_writer
from fluent_ai.server.observe import Noted, Telemetry
from tests.support.faults import wait_until


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("fluent_ai.server.access", logging.INFO, "", 0, message, (), None)


class Counted(io.StringIO):
    """A stream that counts its writes (each a system call on a real one)."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_lines_wait_for_the_flush_then_go_out_in_one_write() -> None:
    stream = Counted()
    handler = BufferedLines(stream, interval=3600)
    try:
        for n in range(3):
            handler.handle(record(f"line {n}"))
        assert stream.getvalue() == ""
        handler.flush()
        assert (stream.getvalue(), stream.writes) == ("line 0\nline 1\nline 2\n", 1)
    finally:
        handler.close()


def test_the_timer_writes_what_waits_each_interval() -> None:
    stream = Counted()
    handler = BufferedLines(stream, interval=0.01)
    try:
        handler.handle(record("first"))
        wait_until(lambda: stream.getvalue() == "first\n")
        handler.handle(record("second"))
        wait_until(lambda: stream.getvalue() == "first\nsecond\n")
    finally:
        handler.close()


def test_many_lines_waiting_are_written_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_log, "LIMIT", 20)
    stream = Counted()
    handler = BufferedLines(stream, interval=3600)
    try:
        handler.handle(record("0123456789"))
        assert stream.getvalue() == ""
        handler.handle(record("abcdefghij"))  # 22 characters with the newlines
        assert stream.getvalue() == "0123456789\nabcdefghij\n"
    finally:
        handler.close()


def test_close_writes_what_waits_and_stops_the_timer() -> None:
    stream = Counted()
    handler = BufferedLines(stream, interval=3600)
    handler.handle(record("last"))
    timer = handler._timer
    handler.close()
    assert stream.getvalue() == "last\n"
    assert timer is not None
    timer.join(timeout=5)
    assert not timer.is_alive()


def test_a_line_after_close_is_written_at_once() -> None:
    stream = Counted()
    handler = BufferedLines(stream, interval=3600)
    handler.close()
    handler.handle(record("late"))  # logging may still hand a closed handler a record
    assert stream.getvalue() == "late\n"


def test_a_stream_that_fails_costs_its_lines_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = io.StringIO()
    broken.close()
    told = io.StringIO()
    monkeypatch.setattr(sys, "__stderr__", told)
    handler = BufferedLines(broken, interval=3600)
    handler.handle(record("lost"))
    handler.close()  # no exception: logging never raises into the code that logs
    assert "1 access line(s) lost" in told.getvalue()


def test_no_timer_runs_in_a_process_that_logs_nothing() -> None:
    handler = BufferedLines(io.StringIO(), interval=0.01)
    handler.close()
    assert handler._timer is None


Served = Callable[..., logging.Logger]


@pytest.fixture
def served() -> Iterator[Served]:
    """Loggers set up as ``fluent-ai serve`` sets up the access log; closed after."""
    made: list[logging.Logger] = []

    def make(name: str, *, handler: logging.Handler | None = None) -> logging.Logger:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.filters.clear()
        logger.propagate = False
        logger.setLevel(logging.INFO)
        if handler is None:
            handler = BufferedLines(io.StringIO(), interval=3600)
            handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        made.append(logger)
        return logger

    yield make
    for logger in made:
        for handler in logger.handlers:
            handler.close()
        logger.handlers.clear()


def test_the_sole_plain_handler_takes_lines_without_records(served: Served) -> None:
    logger = served("test.access.sole")
    writer = sole_writer(logger, logging.INFO)
    assert writer is logger.handlers[0]
    writer.add('{"status":200}')
    writer.flush()
    assert isinstance(writer.stream, io.StringIO)
    assert writer.stream.getvalue() == '{"status":200}\n'


def test_records_come_back_when_anything_else_would_see_them(served: Served) -> None:
    cases: list[Callable[[logging.Logger], object]] = [
        lambda logger: logger.addFilter(lambda record: True),
        lambda logger: logger.handlers[0].addFilter(lambda record: True),
        lambda logger: logger.addHandler(logging.NullHandler()),
        lambda logger: setattr(logger, "propagate", True),
        lambda logger: logger.handlers[0].setFormatter(
            logging.Formatter("%(asctime)s %(message)s")
        ),
        lambda logger: logger.handlers[0].setLevel(logging.WARNING),
    ]
    for n, change in enumerate(cases):
        logger = served(f"test.access.changed{n}")
        change(logger)
        assert sole_writer(logger, logging.INFO) is None, n
    other = served("test.access.stream", handler=logging.StreamHandler(io.StringIO()))
    assert sole_writer(other, logging.INFO) is None


class Seen(logging.Filter):
    """A filter that lets every record through and keeps it."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.records.append(record)
        return True


def test_the_gateway_writes_the_same_line_either_way(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = {"type": "http", "method": "POST", "path": "/v1/messages", "client": ("10.0.0.1", 1)}
    noted = Noted(model="fast", input_tokens=3, output_tokens=5, deployment="openai/fast")
    entries = []
    for watched in (False, True):
        logger = served(f"test.access.gateway{watched}")
        seen = Seen()
        if watched:  # a filter: the records come back, and it sees each one
            logger.addFilter(seen)
        monkeypatch.setattr(observe, "access", logger)
        Telemetry().finished(scope, 200, 0.25, 0.125, noted)
        logger.handlers[0].flush()
        text = logger.handlers[0].stream.getvalue()  # type: ignore[attr-defined]
        assert text.count("\n") == 1
        assert text.endswith("\n")
        assert len(seen.records) == watched
        entries.append(json.loads(text))
    assert entries[0].pop("time") == pytest.approx(entries[1].pop("time"), abs=60)
    assert (
        list(entries[0].items())
        == list(entries[1].items())
        == [
            ("method", "POST"),
            ("path", "/v1/messages"),
            ("status", 200),
            ("seconds", 0.25),
            ("first_byte", 0.125),
            ("model", "fast"),
            ("stream", False),
            ("input_tokens", 3),
            ("output_tokens", 5),
            ("deployment", "openai/fast"),
            ("client", "10.0.0.1"),
        ]
    )
