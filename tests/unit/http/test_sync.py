"""The sync bridge (fluent_ai._sync) and SyncHttpClient, which is built on it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from fluent_ai._sync import iter_sync, run_sync
from fluent_ai.http import HttpClient, RetryPolicy, SyncHttpClient, iter_sse
from fluent_ai.types import errors
from tests.unit.http.loopback import Loopback, Reply


async def _double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


async def _fail() -> None:
    raise ValueError("boom")


def test_run_sync_returns_the_result_and_raises_the_exception() -> None:
    assert run_sync(_double(21)) == 42
    with pytest.raises(ValueError, match="boom"):
        run_sync(_fail())


async def test_run_sync_works_while_a_loop_runs_in_this_thread() -> None:
    # What a Jupyter cell does: sync API called with the notebook's loop running.
    assert run_sync(_double(4)) == 8


def test_run_sync_on_the_background_loop_refuses_instead_of_deadlocking() -> None:
    async def nested() -> int:
        return run_sync(_double(1))

    with pytest.raises(RuntimeError, match="deadlock"):
        run_sync(nested())


def test_iter_sync_yields_every_item() -> None:
    async def numbers() -> AsyncIterator[int]:
        for n in range(3):
            await asyncio.sleep(0)
            yield n

    assert list(iter_sync(numbers())) == [0, 1, 2]


def test_breaking_out_closes_the_async_generator() -> None:
    events: list[str] = []

    async def numbers() -> AsyncIterator[int]:
        try:
            for n in range(100):
                yield n
        finally:
            events.append("closed")

    iterator = iter_sync(numbers())
    for n in iterator:
        if n == 2:
            break
    iterator.close()
    assert events == ["closed"]


def test_sync_client_request(server: Loopback) -> None:
    server.reply(Reply(500), Reply(200, body=b"hi"))
    noop = RetryPolicy(sleep=lambda _: asyncio.sleep(0))
    with SyncHttpClient(HttpClient(retry=noop)) as client:
        response = client.request("GET", server.url())
    assert response.content == b"hi"
    assert len(server.received) == 2


def test_sync_client_stream_reads_events_from_sync_code(server: Loopback) -> None:
    server.reply(Reply(200, chunks=[b"data: one\n\n", b"data: two\n\n", b"data: [DONE]\n\n"]))
    with (
        SyncHttpClient() as client,
        client.stream("POST", server.url(), json={}) as response,
    ):
        events = [event.data for event in iter_sse(response.iter_bytes())]
    assert events == ["one", "two", "[DONE]"]


def test_sync_client_stream_errors_are_typed(server: Loopback) -> None:
    server.reply(Reply(200, chunks=[b"data: one\n\n"], cut=True))

    def read(client: SyncHttpClient) -> None:
        with client.stream("GET", server.url(), provider="mistral") as response:
            for _ in response.iter_bytes():
                pass

    with SyncHttpClient() as client, pytest.raises(errors.StreamInterruptedError):
        read(client)


def test_importing_the_package_does_not_import_hishel() -> None:
    code = "import sys, fluent_ai.http; print('hishel' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
