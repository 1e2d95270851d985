"""``fluent-ai keys`` and ``fluent-ai spend`` on the store a gateway file names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.cli.app import app
from fluent_ai.server.key_store import KeyStore
from fluent_ai.server.keys import digest

runner = CliRunner()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "gateway.yaml"
    store = tmp_path / "state" / "keys.sqlite3"
    path.write_text(
        "master_key_env: TEST_MASTER_KEY\n"
        f"keys:\n  store: sqlite:///{store}\n"
        "routers:\n  fast:\n    deployments: [openai/gpt-4o]\n"
    )
    return path


def store_of(config: Path) -> KeyStore:
    return KeyStore(config.parent / "state" / "keys.sqlite3")


def test_create_prints_the_secret_once_and_stores_only_its_digest(config: Path) -> None:
    made = runner.invoke(
        app,
        [
            "keys",
            "create",
            "billing",
            "--config",
            str(config),
            "--models",
            "fast, smart",
            "--rpm",
            "60",
            "--budget",
            "2.5",
            "--expires",
            "30d",
        ],
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip()
    assert secret.startswith("fa-")
    assert len(secret) == 35
    store = store_of(config)
    [key] = store.listed()
    store.close()
    assert (key.name, key.models, key.rpm, key.budget) == ("billing", ("fast", "smart"), 60, 2.5)
    assert key.digest == digest(secret)
    assert key.expires is not None
    raw = (config.parent / "state" / "keys.sqlite3").read_bytes()
    assert secret.encode() not in raw
    listed = runner.invoke(app, ["keys", "list", "--config", str(config), "--json"])
    assert listed.exit_code == 0
    assert secret not in listed.stdout
    assert key.digest not in listed.stdout
    [shown] = json.loads(listed.stdout)
    assert shown["id"] == key.id
    assert shown["prefix"] == secret[:7]
    assert not shown["revoked"]


def test_revoke_and_spend(config: Path) -> None:
    made = runner.invoke(app, ["keys", "create", "app", "--config", str(config), "--json"])
    key_id = json.loads(made.stdout)["id"]
    revoked = runner.invoke(app, ["keys", "revoke", key_id, "--config", str(config)])
    assert revoked.exit_code == 0
    assert key_id in revoked.stdout
    missing = runner.invoke(app, ["keys", "revoke", "key_nope", "--config", str(config)])
    assert missing.exit_code == 1
    assert "no key 'key_nope'" in str(missing.exception)
    store = store_of(config)
    store.add_spend([(key_id, "fast", 0.125, 3, 300, 30)])
    assert store.listed()[0].revoked
    store.close()
    spent = runner.invoke(app, ["spend", "--config", str(config), "--json"])
    assert spent.exit_code == 0
    report = json.loads(spent.stdout)
    assert report["keys"][key_id]["usd"] == 0.125
    assert report["models"]["fast"]["requests"] == 3
    table = runner.invoke(app, ["spend", "--config", str(config)])
    assert "$0.125000" in table.stdout


def test_a_bad_expiry_is_a_clear_error(config: Path) -> None:
    result = runner.invoke(
        app, ["keys", "create", "x", "--config", str(config), "--expires", "soon"]
    )
    assert result.exit_code == 1
    assert "not a duration" in str(result.exception)
