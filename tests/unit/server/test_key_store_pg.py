"""What only the Postgres key store does: keep its URL's password to itself, come back
after the server drops it, say which extra is missing, and carry keys and spend
between two running gateways with no Redis between them.

The server is a real Postgres on loopback (tests/support/postgres_server.py); the
upstream replays a recorded answer (tests/support/faults.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import httpx
import openai

from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_store import open_url
from fluent_ai.server.key_store_pg import PostgresKeyStore
from fluent_ai.types import ConfigurationError, ConnectionError
from tests.support.faults import upstream, wait_until
from tests.support.gateway import QUESTION, recorded, served_router, serving
from tests.support.postgres_server import PASSWORD, Postgres, postgres_server
from tests.unit.server.keyed import MASTER, admin


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


def test_the_password_never_shows(postgres: Postgres, caplog: pytest.LogCaptureFixture) -> None:
    url = postgres.database()
    store = open_url(url)
    assert isinstance(store, PostgresKeyStore)
    assert PASSWORD not in repr(store)
    public = [value for name, value in vars(store).items() if not name.startswith("_")]
    assert PASSWORD not in str(public)
    store.close()
    wrong = "not-the-" + PASSWORD
    with pytest.raises(ConfigurationError) as raised:
        open_url(postgres.url(url.rsplit("/", 1)[1], password=wrong))
    told = str(raised.value) + repr(raised.value)
    assert "password authentication failed" in told
    assert f"127.0.0.1:{postgres.port}" in told
    assert wrong not in told
    in_query = f"postgresql://fluent@127.0.0.1:{postgres.port}/postgres?password={wrong}"
    with pytest.raises(ConfigurationError) as raised:
        open_url(in_query)
    assert "password authentication failed" in str(raised.value)
    assert wrong not in str(raised.value)
    assert wrong not in caplog.text


def test_postgres_urls_of_both_spellings_open_the_same_store(postgres: Postgres) -> None:
    url = postgres.database()
    first = open_url(url)
    second = open_url(url.replace("postgresql://", "postgres://", 1))
    key, _ = first.create("a")
    assert [found.id for found in second.listed()] == [key.id]
    first.close()
    second.close()


def test_a_dropped_connection_fails_one_call_and_the_next_reconnects(postgres: Postgres) -> None:
    import psycopg

    url = postgres.database()
    store = open_url(url)
    key, _ = store.create("a")
    with psycopg.connect(url, autocommit=True) as other:
        other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'fluent-ai gateway' AND datname = current_database()"
        )
    with pytest.raises(ConnectionError) as raised:
        store.listed()
    assert raised.value.retryable
    assert PASSWORD not in str(raised.value)
    store.add_spend([(key.id, "fast", 0.5, 1, 1, 1)])  # a new connection
    assert store.listed()[0].spent == 0.5
    store.close()


def test_without_psycopg_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if never installed
    with pytest.raises(ConfigurationError, match=r"pip install 'fluent-ai\[postgres\]'"):
        open_url("postgresql://user:hunter2@127.0.0.1:1/keys")


def test_an_unreachable_server_is_a_clear_error_at_start() -> None:
    with pytest.raises(ConfigurationError) as raised:
        open_url("postgresql://user:hunter2@127.0.0.1:1/keys?connect_timeout=2")
    assert "cannot open the keys store postgresql://127.0.0.1:1/keys" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_two_gateways_share_keys_and_spend_through_postgres(
    postgres: Postgres, caplog: pytest.LogCaptureFixture
) -> None:
    """A key made at one gateway works at the other; spend at one shows at the other."""
    caplog.set_level(logging.DEBUG)
    url = postgres.database()
    with upstream("gpt") as up:
        gates = [
            Gatekeeper(open_url(url), master_key=MASTER, refresh=0.2, flush=0.05) for _ in "ab"
        ]
        with (
            serving({"fast": served_router(up, "openai/gpt-4o")}, keys=gates[0]) as first,
            serving({"fast": served_router(up, "openai/gpt-4o")}, keys=gates[1]) as second,
        ):
            made = httpx.post(first + "/admin/keys", json={"name": "app"}, headers=admin())
            secret = made.json()["key"]
            wait_until(lambda: any(key.id == made.json()["id"] for key in gates[1].listed()))
            client = openai.OpenAI(base_url=second + "/v1", api_key=secret, max_retries=0)
            client.chat.completions.create(model="fast", messages=QUESTION)
            report: dict[str, Any] = {}

            def spent_at_first() -> bool:
                report.update(httpx.get(first + "/admin/spend", headers=admin()).json())
                return bool(report["rows"])

            wait_until(spent_at_first)
            wait_until(lambda: gates[0].listed()[0].spent > 0)
    usage = recorded(up, stream=False).usage
    spent = report["keys"][made.json()["id"]]
    assert (spent["requests"], spent["input_tokens"]) == (1, usage.input_tokens)
    assert spent["output_tokens"] == usage.output_tokens
    assert spent["usd"] > 0  # gpt-4o's registry prices
    assert gates[0].listed()[0].spent == pytest.approx(spent["usd"])
    assert PASSWORD not in caplog.text
    assert MASTER not in caplog.text


def test_admin_calls_while_the_store_is_down_are_503_not_400(postgres: Postgres) -> None:
    """A store that cannot be reached is the gateway's trouble, one a retry may get past,
    not a bad request."""
    import psycopg

    url = postgres.database()
    gate = Gatekeeper(open_url(url), master_key=MASTER, refresh=60, flush=60)
    with (
        upstream("gpt") as up,
        serving({"fast": served_router(up, "openai/gpt-4o")}, keys=gate) as base,
    ):
        with psycopg.connect(url, autocommit=True) as other:
            other.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'fluent-ai gateway' AND datname = current_database()"
            )
        refused = httpx.post(base + "/admin/keys", json={"name": "app"}, headers=admin())
        made = httpx.post(base + "/admin/keys", json={"name": "app"}, headers=admin())

    assert refused.status_code == 503
    assert refused.json()["error"]["message"].startswith("the key store failed")
    assert PASSWORD not in refused.text
    assert made.status_code == 201  # the store reconnected
