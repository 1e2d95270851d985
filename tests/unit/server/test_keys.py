"""Virtual keys over real HTTP, called with the official SDKs.

The gateway runs under uvicorn with a gatekeeper over a SQLite store in a temporary
directory; the upstream replays real recorded answers. Keys are made through the admin
API, as an operator would, and used as the SDKs send them (``Authorization: Bearer``
from OpenAI's, ``x-api-key`` from Anthropic's).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import anthropic
import httpx
import openai

from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_store import KeyStore
from tests.support.faults import Upstream, wait_until
from tests.support.gateway import ASK_CLAUDE, QUESTION
from tests.unit.server.keyed import MASTER, admin, keyed_gpt, make_key


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[tuple[Upstream, str, Gatekeeper]]:
    with keyed_gpt(tmp_path) as served:
        yield served


def ask(url: str, secret: str, model: str = "fast") -> str | None:
    client = openai.OpenAI(base_url=url + "/v1", api_key=secret, max_retries=0)
    return client.chat.completions.create(model=model, messages=QUESTION).choices[0].message.content


def test_a_created_key_works_with_both_sdks(gateway: tuple[Upstream, str, Gatekeeper]) -> None:
    _, url, _ = gateway
    made = make_key(url)
    assert made["key"].startswith("fa-")
    assert len(made["key"]) == 35
    assert made["key"].startswith(made["prefix"])
    assert ask(url, made["key"])
    client = anthropic.Anthropic(base_url=url, api_key=made["key"], max_retries=0)
    message = client.messages.create(model="fast", max_tokens=50, messages=ASK_CLAUDE)
    assert message.content


def test_a_wrong_or_missing_key_is_a_401_in_each_format(
    gateway: tuple[Upstream, str, Gatekeeper],
) -> None:
    up, url, _ = gateway
    make_key(url)
    with pytest.raises(openai.AuthenticationError, match="not valid"):
        ask(url, "fa-not-a-key")
    with pytest.raises(anthropic.AuthenticationError) as raised:
        anthropic.Anthropic(base_url=url, api_key="fa-wrong", max_retries=0).messages.create(
            model="fast", max_tokens=10, messages=ASK_CLAUDE
        )
    assert raised.value.body["error"]["type"] == "authentication_error"  # type: ignore[index]
    bare = httpx.post(url + "/v1/chat/completions", json={"model": "fast", "messages": QUESTION})
    assert bare.status_code == 401
    assert "Authorization: Bearer" in bare.json()["error"]["message"]
    assert up.served == []


def test_a_revoked_key_stops_at_once(gateway: tuple[Upstream, str, Gatekeeper]) -> None:
    _, url, _ = gateway
    made = make_key(url)
    assert ask(url, made["key"])
    gone = httpx.delete(f"{url}/admin/keys/{made['id']}", headers=admin())
    assert gone.json() == {"id": made["id"], "revoked": True}
    with pytest.raises(openai.AuthenticationError):
        ask(url, made["key"])
    listed = httpx.get(url + "/admin/keys", headers=admin()).json()["data"]
    assert [k["revoked"] for k in listed] == [True]


def test_an_expired_key_is_refused(gateway: tuple[Upstream, str, Gatekeeper]) -> None:
    _, url, gate = gateway
    made = make_key(url, expires="1h")
    assert ask(url, made["key"])
    gate.wall = lambda: time.time() + 2 * 3600  # as if two hours had passed
    with pytest.raises(openai.AuthenticationError, match="expired"):
        ask(url, made["key"])


def test_a_model_the_key_may_not_use_is_a_403(gateway: tuple[Upstream, str, Gatekeeper]) -> None:
    up, url, _ = gateway
    made = make_key(url, models=["smart"])
    with pytest.raises(openai.PermissionDeniedError, match="may not use 'fast'"):
        ask(url, made["key"])
    assert up.served == []


def test_the_rpm_limit_is_a_429_with_retry_after(
    gateway: tuple[Upstream, str, Gatekeeper],
) -> None:
    up, url, _ = gateway
    made = make_key(url, rpm=2)
    assert ask(url, made["key"])
    assert ask(url, made["key"])
    reply = httpx.post(
        url + "/v1/chat/completions",
        json={"model": "fast", "messages": QUESTION},
        headers={"authorization": f"Bearer {made['key']}"},
    )
    assert reply.status_code == 429
    assert int(reply.headers["retry-after"]) >= 1
    assert "2 requests a minute" in reply.json()["error"]["message"]
    assert len(up.served) == 2


def test_the_master_key_serves_every_model_and_only_it_reaches_the_admin_api(
    gateway: tuple[Upstream, str, Gatekeeper],
) -> None:
    _, url, _ = gateway
    made = make_key(url)
    assert ask(url, MASTER)
    assert httpx.get(url + "/admin/keys").status_code == 401
    refused = httpx.get(url + "/admin/keys", headers=admin(made["key"]))
    assert refused.status_code == 401
    assert httpx.post(url + "/admin/keys", json={"name": "x", "rpm": 0}, headers=admin()).json()[
        "error"
    ]["message"] == ("a key's rpm must be at least 1 (leave it out for none)")


def test_secrets_never_reach_the_logs_or_the_listing(
    gateway: tuple[Upstream, str, Gatekeeper], caplog: pytest.LogCaptureFixture
) -> None:
    _, url, gate = gateway
    caplog.set_level(logging.DEBUG)
    made = make_key(url)
    ask(url, made["key"])
    with pytest.raises(openai.AuthenticationError) as raised:
        ask(url, made["key"] + "x")
    listing = httpx.get(url + "/admin/keys", headers=admin()).text
    wait_until(lambda: gate.listed()[0].spent > 0)
    for secret in (made["key"], MASTER):
        assert secret not in caplog.text
        assert secret not in listing
        assert secret not in str(raised.value)
        assert secret not in repr(gate.listed())
    assert gate.listed()[0].digest not in listing
    assert f'"key":"{made["id"]}"' in caplog.text  # the access log names keys by id


def test_keys_made_and_revoked_in_the_store_reach_a_running_gateway(
    gateway: tuple[Upstream, str, Gatekeeper],
) -> None:
    """What ``fluent-ai keys`` does to the file is seen at the next reload, not per call."""
    _, url, gate = gateway
    assert isinstance(gate.store, KeyStore)
    other = KeyStore(gate.store.path)  # another connection, as the CLI opens it
    key, secret = other.create("from the cli")
    wait_until(lambda: any(k.id == key.id for k in gate.listed()))
    assert ask(url, secret)
    other.revoke(key.id)
    other.close()
    wait_until(lambda: gate.listed()[0].revoked)
    with pytest.raises(openai.AuthenticationError):
        ask(url, secret)


def test_embeddings_need_a_key_too(gateway: tuple[Upstream, str, Gatekeeper]) -> None:
    _, url, _ = gateway
    client = openai.OpenAI(base_url=url + "/v1", api_key="fa-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.embeddings.create(model="minilm", input="hello")
