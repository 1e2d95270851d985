"""Access lines held and written together: each second, when many wait, and at close."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from fluent_ai.server import access_log
from fluent_ai.server.access_log import BufferedLines
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
