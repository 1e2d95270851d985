"""``fluent-ai keys`` and ``fluent-ai spend`` on a Postgres store the gateway file names.

The server is a real Postgres on loopback (tests/support/postgres_server.py), skipped
with the reason where it is not installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.cli.app import app
from fluent_ai.server.key_store import open_url
from fluent_ai.server.keys import digest
from tests.support.postgres_server import PASSWORD, Postgres, postgres_server

runner = CliRunner()


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


def gateway_file(folder: Path, store: str) -> Path:
    path = folder / "gateway.yaml"
    path.write_text(
        "master_key_env: TEST_MASTER_KEY\n"
        f"keys:\n  store: {store}\n"
        "routers:\n  fast:\n    deployments: [openai/gpt-4o]\n"
    )
    return path


def test_keys_and_spend_on_a_postgres_store(postgres: Postgres, tmp_path: Path) -> None:
    url = postgres.database()
    config = gateway_file(tmp_path, url)
    made = runner.invoke(
        app, ["keys", "create", "billing", "--config", str(config), "--models", "fast", "--json"]
    )
    assert made.exit_code == 0, made.output
    shown = json.loads(made.stdout)
    secret, key_id = shown["key"], shown["id"]
    store = open_url(url)  # as a gateway on another machine would see it
    [key] = store.listed()
    assert (key.id, key.name, key.models, key.digest) == (
        key_id,
        "billing",
        ("fast",),
        digest(secret),
    )
    store.add_spend([(key_id, "fast", 0.125, 3, 300, 30)])
    store.close()

    listed = runner.invoke(app, ["keys", "list", "--config", str(config), "--json"])
    assert listed.exit_code == 0, listed.output
    [entry] = json.loads(listed.stdout)
    assert (entry["id"], entry["spent"], entry["revoked"]) == (key_id, 0.125, False)
    assert secret not in listed.stdout
    assert key.digest not in listed.stdout

    revoked = runner.invoke(app, ["keys", "revoke", key_id, "--config", str(config)])
    assert revoked.exit_code == 0, revoked.output
    missing = runner.invoke(app, ["keys", "revoke", "key_nope", "--config", str(config)])
    assert missing.exit_code == 1
    assert "no key 'key_nope'" in str(missing.exception)
    table = runner.invoke(app, ["keys", "list", "--config", str(config), "--json"])
    assert json.loads(table.stdout)[0]["revoked"] is True

    spent = runner.invoke(app, ["spend", "--config", str(config), "--json"])
    assert spent.exit_code == 0, spent.output
    report = json.loads(spent.stdout)
    assert report["keys"][key_id] == {
        "usd": 0.125,
        "requests": 3,
        "input_tokens": 300,
        "output_tokens": 30,
        "name": "billing",
    }
    assert PASSWORD not in made.output + listed.output + table.output + spent.output


def test_a_wrong_password_is_a_clear_error_that_keeps_it_secret(
    postgres: Postgres, tmp_path: Path
) -> None:
    wrong = "wrong-" + PASSWORD
    config = gateway_file(tmp_path, postgres.url(password=wrong))
    result = runner.invoke(app, ["keys", "list", "--config", str(config)])
    assert result.exit_code == 1
    told = str(result.exception) + result.output
    assert f"cannot open the keys store postgresql://127.0.0.1:{postgres.port}/postgres" in told
    assert "password authentication failed" in told
    assert wrong not in told
