"""The key stores, SQLite and Postgres, held to the same behaviour.

Each test that takes ``url`` runs once on a SQLite file and once on a fresh database in
a real Postgres server on loopback (skipped, saying why, where Postgres is not
installed). Two stores opened on one URL stand for two gateway processes or machines.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.datastructures import Headers

from fluent_ai.engine import Deployment, Router
from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_store import Store, open_url
from fluent_ai.server.keys import VirtualKey, digest
from fluent_ai.server.observe import Noted
from fluent_ai.types import ConfigurationError, InvalidRequestError
from tests.support.postgres_server import Postgres, postgres_server

MASTER = "fa-master-for-store-tests"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.database()


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    opened = open_url(url)
    yield opened
    opened.close()


def test_a_key_is_stored_by_digest_with_its_limits(store: Store) -> None:
    key, secret = store.create(" billing ", models=["fast"], rpm=60, tpm=1000, budget=2.5)
    [listed] = store.listed()
    assert listed == key
    assert (listed.name, listed.models, listed.rpm, listed.tpm) == ("billing", ("fast",), 60, 1000)
    assert (listed.budget, listed.expires, listed.revoked, listed.spent) == (2.5, None, False, 0)
    assert listed.digest == digest(secret)
    assert listed.prefix == secret[:7]
    assert secret not in repr(store.listed())


def test_bad_limits_are_refused_and_nothing_is_stored(store: Store) -> None:
    with pytest.raises(InvalidRequestError, match="needs a name"):
        store.create("  ")
    with pytest.raises(InvalidRequestError, match="rpm must be at least 1"):
        store.create("a", rpm=0)
    assert store.listed() == []


def test_keys_are_listed_in_the_order_made_and_revoked_for_good(store: Store) -> None:
    first, _ = store.create("first", expires=2e9)
    second, _ = store.create("second")
    assert store.revoke(first.id) is True
    assert store.revoke("key_none") is False
    listed = store.listed()
    assert [key.id for key in listed] == [first.id, second.id]
    assert [key.revoked for key in listed] == [True, False]
    assert listed[0].expires == 2e9


def test_spend_adds_up_per_key_and_model(store: Store) -> None:
    key, _ = store.create("a")
    other, _ = store.create("b")
    store.add_spend([(key.id, "fast", 0.5, 2, 10, 20), ("master", "fast", 0.25, 1, 5, 5)])
    store.add_spend([(key.id, "smart", 1.0, 1, 1, 1), (key.id, "fast", 0.5, 1, 1, 1)])
    store.add_spend([])
    assert store.spend() == [
        {"key_id": key.id, "name": "a", "model": "fast", "usd": 1.0, "requests": 3,
         "input_tokens": 11, "output_tokens": 21},
        {"key_id": key.id, "name": "a", "model": "smart", "usd": 1.0, "requests": 1,
         "input_tokens": 1, "output_tokens": 1},
        {"key_id": "master", "name": None, "model": "fast", "usd": 0.25, "requests": 1,
         "input_tokens": 5, "output_tokens": 5},
    ]  # fmt: skip
    spent = {found.id: found.spent for found in store.listed()}
    assert spent == {key.id: 2.0, other.id: 0.0}


def test_two_stores_on_one_url_see_each_others_keys_and_spend(url: str) -> None:
    first, second = open_url(url), open_url(url)
    try:
        key, _ = first.create("shared", budget=1.0)
        assert [found.id for found in second.listed()] == [key.id]
        second.add_spend([(key.id, "fast", 0.25, 1, 3, 4)])
        first.add_spend([(key.id, "fast", 0.5, 1, 3, 4)])
        assert first.listed()[0].spent == second.listed()[0].spent == 0.75
        assert second.revoke(key.id)
        assert first.listed()[0].revoked
    finally:
        first.close()
        second.close()


def test_batches_flushed_at_once_by_two_processes_lose_nothing(url: str) -> None:
    stores = [open_url(url), open_url(url)]  # the tables made once, whoever comes first
    key, _ = stores[0].create("busy")
    rows = [(key.id, "fast", 0.125, 1, 2, 3), ("master", "fast", 0.5, 1, 1, 1)]

    def flush(store: Store, batch: list[tuple[str, str, float, int, int, int]]) -> None:
        for _ in range(40):
            store.add_spend(batch)

    threads = [
        threading.Thread(target=flush, args=(stores[0], rows)),
        threading.Thread(target=flush, args=(stores[1], rows[::-1])),  # other order
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    totals = {row["key_id"]: row for row in stores[1].spend()}
    for store in stores:
        store.close()
    assert totals[key.id]["requests"] == 80
    assert totals[key.id]["usd"] == 10.0
    assert totals["master"]["input_tokens"] == 80


def test_two_gatekeepers_on_one_store_share_keys_and_budgets(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One gateway's key and spend reach another through the store alone (no Redis)."""
    monkeypatch.setenv("KEY_STORE_TEST_KEY", "sk-test")

    async def scenario() -> None:
        priced = Deployment(
            "openai/gpt-4o", input_price=100.0, output_price=100.0, api_key_env="KEY_STORE_TEST_KEY"
        )
        router = Router([priced], retry=None)
        gates = [Gatekeeper(open_url(url), master_key=MASTER) for _ in "ab"]
        for gate in gates:
            gate.serve({"fast": router})
            await gate.start()
        key, secret = gates[0].store.create("shared", budget=0.001)
        gates[0].add(key)
        headers = Headers({"authorization": f"Bearer {secret}"})
        assert gates[1].admit(headers, "fast", Noted()) is not None  # not loaded yet
        await gates[1].reload()
        note = Noted(model="fast")
        assert gates[1].admit(headers, "fast", note) is None
        gates[0].charge(Noted(model="fast", input_tokens=15, output_tokens=5, key=key.id))
        await gates[0].flush()
        await gates[1].reload()
        refused = gates[1].admit(headers, "fast", Noted())
        assert refused is not None
        assert refused.status == 402
        assert gates[1].listed()[0].spent == 0.002
        for gate in gates:
            await gate.aclose()
        await router.aclose()

    asyncio.run(scenario())


def test_a_named_batch_counts_once_however_often_it_is_sent(url: str) -> None:
    first, second = open_url(url), open_url(url)
    try:
        key, _ = first.create("a")
        batch = [(key.id, "fast", 0.5, 1, 10, 20)]
        first.add_spend(batch, "batch_1")
        second.add_spend(batch, "batch_1")  # sent again, by whichever gateway
        first.add_spend(batch, "batch_1")
        first.add_spend(batch, "batch_2")
        assert first.listed()[0].spent == 1.0
        assert first.spend()[0]["requests"] == 2
    finally:
        first.close()
        second.close()


def test_a_batch_whose_answer_was_lost_is_sent_again_and_counted_once(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_url(url)
    write, lost = store.add_spend, [True]

    def commit_then_fail(rows: list[tuple[str, str, float, int, int, int]], batch: str) -> None:
        write(rows, batch)
        if lost and lost.pop():
            raise ConnectionError("the connection broke before the commit's answer")

    monkeypatch.setattr(store, "add_spend", commit_then_fail)

    async def scenario() -> None:
        gate = Gatekeeper(store, master_key=MASTER)
        key, _ = store.create("a")
        gate.add(key)
        gate.charge(Noted(model="fast", input_tokens=10, output_tokens=5, key=key.id))
        with pytest.raises(ConnectionError):
            await gate.flush()
        gate.charge(Noted(model="fast", input_tokens=1, output_tokens=1, key=key.id))
        await gate.flush()  # the first batch again, under its name, then the second
        (row,) = store.spend()
        assert (row["requests"], row["input_tokens"], row["output_tokens"]) == (2, 11, 6)
        await gate.aclose()

    asyncio.run(scenario())


def test_a_reload_does_not_lose_a_batch_flushed_while_it_read_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_url(str(tmp_path / "keys.sqlite3"))
    key, _ = store.create("a")
    read, reading, carry_on = store.listed, threading.Event(), threading.Event()

    def slow_listed() -> list[VirtualKey]:
        found = read()  # what the store held before the flush below
        reading.set()
        carry_on.wait(10)
        return found

    async def scenario() -> float:
        gate = Gatekeeper(store, master_key=MASTER)
        gate.add(key)
        gate.pricer.cost = lambda *args: 0.25  # type: ignore[method-assign]
        gate.charge(Noted(model="fast", input_tokens=10, output_tokens=5, key=key.id))
        monkeypatch.setattr(store, "listed", slow_listed)
        reloading = asyncio.create_task(gate.reload())
        await asyncio.to_thread(reading.wait, 10)
        flushing = asyncio.create_task(gate.flush())  # the admin's spend report, say
        await asyncio.sleep(0.1)  # room for the flush to go ahead, were it let
        carry_on.set()
        await asyncio.gather(reloading, flushing)
        spent = gate.listed()[0].spent
        await gate.aclose()
        return spent

    assert asyncio.run(scenario()) == 0.25


def test_a_store_url_picks_the_store() -> None:
    with pytest.raises(ConfigurationError, match="use sqlite:///PATH or postgresql://"):
        open_url("mysql://db.example/keys")
