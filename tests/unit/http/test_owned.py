"""LoopClients: one client per event loop, closed by its owner or when its loop ends."""

from __future__ import annotations

import asyncio
import gc
import threading

from fluent_ai._sync import run_sync
from fluent_ai.http import HttpClient, LoopClients, default_client
from tests.support.complaints import Complaints, complaints
from tests.unit.http.loopback import Loopback, Reply

__all__ = ["complaints"]  # the fixture, used by name


def test_the_default_client_is_closed_when_asyncio_run_ends(
    server: Loopback, complaints: Complaints
) -> None:
    server.reply(Reply(200, body=b"ok"))

    async def call() -> HttpClient:
        client = default_client()
        response = await client.request("GET", server.url())
        assert response.content == b"ok"
        return client

    client = asyncio.run(call())
    assert client.is_closed
    assert complaints.after_gc() == []


def test_a_client_is_closed_when_its_owner_is_forgotten_while_the_loop_runs() -> None:
    async def forget() -> HttpClient:
        owner = LoopClients()
        client = owner.get()
        del owner
        gc.collect()
        for _ in range(5):
            await asyncio.sleep(0)
        return client

    assert asyncio.run(forget()).is_closed


async def test_aclose_closes_the_running_loops_client_and_use_opens_a_new_one() -> None:
    owner = LoopClients()
    first = owner.get()
    assert owner.get() is first
    await owner.aclose()
    assert first.is_closed
    second = owner.get()
    assert second is not first
    assert not second.is_closed
    await owner.aclose()
    assert second.is_closed


def told_when_closed(client: HttpClient) -> threading.Event:
    """An event set once ``client.aclose()`` has finished, on whichever loop ran it: what
    a test waits on instead of guessing how long another loop takes to get there."""
    closed = threading.Event()
    aclose = client.aclose

    async def aclose_and_tell() -> None:
        await aclose()
        closed.set()

    client.aclose = aclose_and_tell  # type: ignore[method-assign]
    return closed


async def test_each_loop_gets_its_own_client_and_aclose_reaches_both() -> None:
    owner = LoopClients()
    here = owner.get()

    async def on_the_background_loop() -> HttpClient:
        return owner.get()

    there = run_sync(on_the_background_loop())
    assert there is not here
    closed_there = told_when_closed(there)
    await owner.aclose()
    assert here.is_closed
    assert await asyncio.to_thread(closed_there.wait, 30)
    assert there.is_closed


def test_a_sync_close_from_the_background_loop_leaves_the_callers_loop_free() -> None:
    owner = LoopClients()

    async def use_then_close_from_sync_code() -> HttpClient:
        mine = owner.get()
        # A sync close() called from async code: the background loop runs aclose while
        # this loop waits; it must not wait for this loop in turn.
        closed = told_when_closed(mine)
        run_sync(owner.aclose())
        # this loop closes its own client once it runs again, which waiting lets it do
        assert await asyncio.to_thread(closed.wait, 30)
        return mine

    assert asyncio.run(use_then_close_from_sync_code()).is_closed
