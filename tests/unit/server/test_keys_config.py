"""Keys from the gateway file, and the gatekeeper's limits read against a hand-moved clock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.datastructures import Headers

pytest.importorskip("uvicorn", reason="the server extra is not installed")

from fluent_ai.server.config import read, served_models
from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_config import gatekeeper_from
from fluent_ai.server.key_store import KeyStore
from fluent_ai.server.keys import expiry
from fluent_ai.server.observe import Noted
from fluent_ai.types import ConfigurationError, InvalidRequestError
from tests.support.faults import FakeClock

ROUTER = "routers:\n  fast:\n    deployments: [openai/gpt-4o]\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gateway.yaml"
    path.write_text(text)
    return path


def test_keys_are_off_without_a_master_key(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTER)
    assert gatekeeper_from(read(path), str(path)) is None


def test_the_file_turns_keys_on_with_its_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_MASTER", "fa-master")
    store = tmp_path / "k.sqlite3"
    path = write(tmp_path, f"master_key_env: TEST_MASTER\nkeys:\n  store: sqlite:///{store}\n")
    gate = gatekeeper_from(read(path), str(path))
    assert gate is not None
    assert isinstance(gate.store, KeyStore)
    assert gate.store.path == store
    asyncio.run(gate.aclose())
    assert store.exists()


def test_a_single_router_file_may_carry_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    path = write(tmp_path, "master_key_env: M\nkeys: {refresh: 5}\ndeployments: [openai/gpt-4o]\n")
    assert list(served_models(path)) == ["default"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("keys: {store: x.db}\n", "needs 'master_key_env'"),
        ("master_key_env: UNSET_MASTER_VARIABLE\n", "$UNSET_MASTER_VARIABLE is not set"),
        ("master_key_env: TEST_MASTER\nkeys: {stroe: x}\n", "unknown keys setting(s) stroe"),
        ("master_key_env: TEST_MASTER\nkeys: {store: mysql://h/db}\n", "not supported"),
        (
            "master_key_env: TEST_MASTER\nkeys: {store: 'postgres://u:pw@127.0.0.1:1/db'}\n",
            "cannot open the keys store postgresql://127.0.0.1:1/db",
        ),
        ("master_key_env: TEST_MASTER\nkeys: {state: memcached://h}\n", "redis:// URL"),
    ],
)
def test_a_bad_key_setting_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, words: str
) -> None:
    monkeypatch.setenv("TEST_MASTER", "fa-master")
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError) as raised:
        gatekeeper_from(read(path), str(path))
    assert words in str(raised.value)


def test_expiry_reads_durations() -> None:
    assert expiry("30d", now=0) == 30 * 86400
    assert expiry("90m", now=10) == 10 + 5400
    assert expiry(None) is None
    with pytest.raises(InvalidRequestError, match="not a duration"):
        expiry("tomorrow")


def test_tpm_is_charged_with_the_tokens_used_and_refills(tmp_path: Path) -> None:
    clock = FakeClock()
    gate = Gatekeeper(KeyStore(tmp_path / "k.sqlite3"), master_key="fa-m", clock=clock)
    key, secret = gate.store.create("a", tpm=600)
    gate.add(key)
    headers = Headers({"authorization": f"Bearer {secret}"})
    note = Noted(model="fast")
    assert gate.admit(headers, "fast", note) is None
    assert note.key == key.id
    gate.charge(Noted(model="fast", input_tokens=500, output_tokens=400, key=key.id))
    refused = gate.admit(headers, "fast", Noted())
    assert refused is not None
    assert refused.status == 429
    assert refused.headers == {"retry-after": "31"}  # 301 tokens short at 10 a second
    clock.advance(31)
    assert gate.admit(headers, "fast", Noted()) is None
    gate.store.close()


def test_the_master_key_passes_and_others_need_a_header(tmp_path: Path) -> None:
    gate = Gatekeeper(KeyStore(tmp_path / "k.sqlite3"), master_key="fa-m")
    note = Noted()
    assert gate.admit(Headers({"x-api-key": "fa-m"}), "any", note) is None
    assert note.key == "master"
    missing = gate.admit(Headers({}), "any", Noted())
    assert missing is not None
    assert missing.status == 401
    basic = gate.admit(Headers({"authorization": "Basic fa-m"}), "any", Noted())
    assert basic is not None
    assert basic.status == 401
    gate.store.close()


def test_the_app_from_a_file_with_keys_wants_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.testclient import TestClient

    from fluent_ai.server.config import app_from_config

    monkeypatch.setenv("TEST_MASTER", "fa-master")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    store = tmp_path / "k.sqlite3"
    path = write(tmp_path, f"master_key_env: TEST_MASTER\nkeys:\n  store: {store}\n{ROUTER}")
    with TestClient(app_from_config(path)) as client:
        body = {"model": "fast", "messages": [{"role": "user", "content": "hi"}]}
        assert client.post("/v1/chat/completions", json=body).status_code == 401
        master = {"authorization": "Bearer fa-master"}
        assert client.get("/admin/keys", headers=master).json() == {"data": []}
        assert client.get("/admin/spend", headers=master).json()["rows"] == []
