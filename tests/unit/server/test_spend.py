"""Spend: every answer priced from the registry (or the deployment's own prices),
counted against its key's budget, streams included, and shared through Redis.

Answers are real recorded ones with their real usage; the expected cost is that
usage times the registry's prices for the model that answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import anthropic
import httpx
import openai

from fluent_ai.engine import Deployment, Router
from fluent_ai.providers.pricing import model_info
from fluent_ai.server.admin import spend_report
from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_store import KeyStore
from fluent_ai.server.observe import Noted
from fluent_ai.server.spend import Pricer
from fluent_ai.types import Usage
from tests.support.faults import Upstream, upstream, wait_until
from tests.support.gateway import (
    ASK_CLAUDE,
    KEY_ENV,
    QUESTION,
    recorded,
    served_router,
    serving,
)
from tests.support.redis_server import redis_server
from tests.unit.server.keyed import admin, gatekeeper, keyed_gpt, make_key


def registry_cost(provider: str, model: str, usage: Usage) -> float:
    info = model_info(provider, model)
    assert info is not None
    assert info.input_price
    assert info.output_price
    return (usage.input_tokens * info.input_price + usage.output_tokens * info.output_price) / 1e6


def spend_of(url: str) -> dict[str, Any]:
    reply = httpx.get(url + "/admin/spend", headers=admin())
    assert reply.status_code == 200
    body: dict[str, Any] = reply.json()
    return body


@pytest.fixture
def gpt(tmp_path: Path) -> Iterator[tuple[Upstream, str, Gatekeeper]]:
    with keyed_gpt(tmp_path) as served:
        yield served


def test_a_budget_is_spent_by_recorded_usage(gpt: tuple[Upstream, str, Gatekeeper]) -> None:
    up, url, gate = gpt
    usage = recorded(up, stream=False).usage
    cost = registry_cost("openai", "gpt-4o", usage)
    made = make_key(url, budget=cost * 1.5)
    client = openai.OpenAI(base_url=url + "/v1", api_key=made["key"], max_retries=0)
    for _ in range(2):  # the second call starts under budget and ends over it
        client.chat.completions.create(model="fast", messages=QUESTION)
    wait_until(lambda: gate.listed()[0].spent > cost * 1.9)
    with pytest.raises(openai.APIStatusError) as raised:
        client.chat.completions.create(model="fast", messages=QUESTION)
    assert raised.value.status_code == 402
    assert "budget" in raised.value.message
    assert len(up.served) == 2
    report = spend_of(url)
    assert report["keys"][made["id"]]["usd"] == pytest.approx(2 * cost)
    assert report["models"]["fast"]["requests"] == 2  # a refused call is not counted
    assert report["models"]["fast"]["input_tokens"] == 2 * usage.input_tokens
    listed = httpx.get(url + "/admin/keys", headers=admin()).json()["data"]
    assert listed[0]["spent"] == pytest.approx(2 * cost)


def test_a_stream_is_accounted(gpt: tuple[Upstream, str, Gatekeeper]) -> None:
    up, url, _ = gpt
    made = make_key(url)
    client = openai.OpenAI(base_url=url + "/v1", api_key=made["key"], max_retries=0)
    stream = client.chat.completions.create(
        model="fast", messages=QUESTION, stream=True, stream_options={"include_usage": True}
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    usage = recorded(up, stream=True).usage
    assert usage.output_tokens > 0
    row = spend_of(url)["rows"][0]
    assert (row["input_tokens"], row["output_tokens"]) == (usage.input_tokens, usage.output_tokens)
    assert row["usd"] == pytest.approx(registry_cost("openai", "gpt-4o", usage))


def test_an_anthropic_stream_is_priced_at_the_deployments_own_prices(tmp_path: Path) -> None:
    gate = gatekeeper(tmp_path / "keys.sqlite3")
    with upstream("claude", flavour="anthropic") as up:
        deployment = Deployment(
            "anthropic/claude-haiku-4-5",
            name="haiku",
            base_url=up.base_url,
            api_key_env=KEY_ENV,
            input_price=3.0,
            output_price=7.0,
        )
        with serving({"smart": Router([deployment], retry=None)}, keys=gate) as url:
            made = make_key(url)
            client = anthropic.Anthropic(base_url=url, api_key=made["key"], max_retries=0)
            with client.messages.stream(
                model="smart", max_tokens=100, messages=ASK_CLAUDE
            ) as stream:
                assert "".join(stream.text_stream)
            usage = recorded(up, stream=True).usage
            row = spend_of(url)["rows"][0]
    assert row["model"] == "smart"
    assert row["key_id"] == made["id"]
    assert row["usd"] == pytest.approx((usage.input_tokens * 3 + usage.output_tokens * 7) / 1e6)


def test_spend_and_limits_are_shared_across_gateways_through_redis(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    key, secret = store.create("shared", rpm=3, budget=1e-9)
    store.close()
    with redis_server() as redis, upstream("gpt") as up:
        # A long refresh: the store is not re-read, so only Redis carries the spend over.
        gates = [gatekeeper(tmp_path / "keys.sqlite3", redis=redis, refresh=600) for _ in "ab"]
        with (
            serving({"fast": served_router(up, "openai/gpt-4o")}, keys=gates[0]) as first,
            serving({"fast": served_router(up, "openai/gpt-4o")}, keys=gates[1]) as second,
        ):
            answer = openai.OpenAI(base_url=first + "/v1", api_key=secret, max_retries=0)
            answer.chat.completions.create(model="fast", messages=QUESTION)
            wait_until(lambda: gates[1].listed()[0].spent > 0)
            other = openai.OpenAI(base_url=second + "/v1", api_key=secret, max_retries=0)
            with pytest.raises(openai.APIStatusError) as raised:
                other.chat.completions.create(model="fast", messages=QUESTION)
    assert raised.value.status_code == 402
    cost = registry_cost("openai", "gpt-4o", recorded(up, stream=False).usage)
    assert gates[1].listed()[0].spent == pytest.approx(cost)
    assert len(up.served) == 1
    assert key.id == gates[1].listed()[0].id


def test_request_limits_are_shared_through_redis(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    _, secret = store.create("shared", rpm=2)
    store.close()
    with redis_server() as redis, upstream("gpt") as up:
        gates = [gatekeeper(tmp_path / "keys.sqlite3", redis=redis, refresh=600) for _ in "ab"]
        with (
            serving({"fast": served_router(up, "openai/gpt-4o")}, keys=gates[0]) as first,
            serving({"fast": served_router(up, "openai/gpt-4o")}, keys=gates[1]) as second,
        ):
            seen = gates[1]._by_id[gates[1].listed()[0].id]
            wait_until(lambda: seen.requests >= 0)  # the second gateway read Redis once
            client = openai.OpenAI(base_url=first + "/v1", api_key=secret, max_retries=0)
            client.chat.completions.create(model="fast", messages=QUESTION)
            client.chat.completions.create(model="fast", messages=QUESTION)
            wait_until(lambda: seen.requests >= 2)
            reply = httpx.post(
                second + "/v1/chat/completions",
                json={"model": "fast", "messages": QUESTION},
                headers={"x-api-key": secret},
            )
    assert reply.status_code == 429
    assert int(reply.headers["retry-after"]) >= 1


def test_a_deployments_prices_win_over_the_registrys() -> None:
    cheap = Deployment("openai/gpt-4o", name="cheap", input_price=1.0, api_key_env=KEY_ENV)
    listed = Deployment("openai/gpt-4o", name="list", api_key_env=KEY_ENV)
    router = Router([cheap, listed], retry=None)
    pricer = Pricer({"fast": router})
    try:
        assert pricer.cost("fast", "cheap", 1_000_000, 1_000_000) == pytest.approx(1.0 + 10.0)
        assert pricer.cost("fast", "list", 1_000_000, 0) == pytest.approx(2.5)
        assert pricer.cost("fast", "unknown", 1_000_000, 0) == 0.0
        assert pricer.cost("nope", "", 1_000_000, 0) == 0.0
    finally:
        asyncio.run(router.aclose())


def test_the_spend_report_adds_up_per_key_and_per_model(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    key, _ = store.create("a")
    store.add_spend([(key.id, "fast", 0.5, 2, 10, 20), ("master", "fast", 0.25, 1, 5, 5)])
    store.add_spend([(key.id, "smart", 1.0, 1, 1, 1), (key.id, "fast", 0.5, 1, 1, 1)])
    report = spend_report(store.spend())
    store.close()
    assert report["keys"][key.id] == {
        "usd": 2.0,
        "requests": 4,
        "input_tokens": 12,
        "output_tokens": 22,
        "name": "a",
    }
    assert report["keys"]["master"]["name"] == "master"
    assert report["models"]["fast"]["usd"] == pytest.approx(1.25)


def test_a_call_is_charged_from_its_notes(tmp_path: Path) -> None:
    gate = gatekeeper(tmp_path / "keys.sqlite3")
    key, _ = gate.store.create("a", budget=1.0)
    gate.add(key)
    router = Router([Deployment("openai/gpt-4o", api_key_env=KEY_ENV)], retry=None)
    gate.serve({"fast": router})
    gate.charge(Noted(model="fast", input_tokens=1000, output_tokens=100, key=key.id))
    assert gate.listed()[0].spent == pytest.approx((1000 * 2.5 + 100 * 10) / 1e6)
    asyncio.run(gate.flush())
    assert store_total(gate) == pytest.approx(gate.listed()[0].spent)
    asyncio.run(router.aclose())
    gate.store.close()


def store_total(gate: Gatekeeper) -> float:
    return float(sum(row["usd"] for row in gate.store.spend()))
