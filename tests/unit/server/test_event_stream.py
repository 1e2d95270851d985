"""A streamed answer's own watch for the caller leaving
(:class:`fluent_ai.server.streaming.EventStream`), driven as an ASGI server drives it:
a caller that leaves ends the stream and closes its source at once, a cancel from
outside (a shutdown) still cancels, and a stream that ends leaves no cancel behind."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")

from starlette.types import Message

from fluent_ai.server.streaming import EventStream

SCOPE = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "method": "POST"}


class Caller:
    """The ASGI ``receive`` and ``send`` of one call, with what was sent."""

    def __init__(self, leave_after: int | None = None) -> None:
        self.sent: list[Message] = []
        self.leave_after = leave_after
        self.gone = asyncio.Event()
        self.answering = asyncio.Event()

    async def receive(self) -> Message:
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        self.sent.append(message)
        bodies = sum(1 for m in self.sent if m.get("body"))
        if bodies:
            self.answering.set()
        if self.leave_after is not None and bodies >= self.leave_after:
            self.gone.set()
        if message["type"] == "http.response.body" and not message.get("more_body"):
            self.gone.set()  # as uvicorn answers receive() once the response is complete


class Source:
    """An answer's chunks, ``count`` of them (endless by default), noting its closing."""

    def __init__(self, count: int | None = None) -> None:
        self.count = count
        self.closed = False

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            n = 0
            while self.count is None or n < self.count:
                n += 1
                await asyncio.sleep(0.001)
                yield b"data: %d\n\n" % n
        finally:
            self.closed = True


async def test_a_caller_that_leaves_ends_the_stream_and_closes_its_source() -> None:
    source, caller = Source(), Caller(leave_after=3)
    response = EventStream(source.chunks(), media_type="text/event-stream")
    await asyncio.wait_for(response(SCOPE, caller.receive, caller.send), timeout=5)
    assert source.closed
    assert caller.sent[0]["type"] == "http.response.start"
    assert 3 <= sum(1 for m in caller.sent if m.get("body")) <= 4
    current = asyncio.current_task()
    assert current is not None
    assert current.cancelling() == 0
    await asyncio.sleep(0.01)  # no cancel was left pending on this task


async def test_a_stream_that_ends_sends_everything_and_leaves_no_cancel_behind() -> None:
    source, caller = Source(count=5), Caller()
    response = EventStream(source.chunks(), media_type="text/event-stream")
    await response(SCOPE, caller.receive, caller.send)
    bodies = [m["body"] for m in caller.sent if m["type"] == "http.response.body"]
    assert bodies == [b"data: %d\n\n" % n for n in range(1, 6)] + [b""]
    assert caller.sent[-1]["more_body"] is False
    await asyncio.sleep(0.01)  # the watch saw the response end; it must not cancel us


async def test_a_cancel_from_outside_still_cancels_the_stream() -> None:
    source, caller = Source(), Caller()
    response = EventStream(source.chunks(), media_type="text/event-stream")
    task = asyncio.create_task(response(SCOPE, caller.receive, caller.send))
    await asyncio.wait_for(caller.answering.wait(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert source.closed


async def test_a_failing_receive_fails_the_stream() -> None:
    source, caller = Source(), Caller()

    async def broken() -> Message:
        raise RuntimeError("the server's receive broke")

    response = EventStream(source.chunks(), media_type="text/event-stream")
    with pytest.raises(RuntimeError, match="receive broke"):
        await asyncio.wait_for(response(SCOPE, broken, caller.send), timeout=5)
    assert source.closed
