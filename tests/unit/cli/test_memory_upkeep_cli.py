"""``fluent-ai memory reembed`` and ``summarize`` against stores on disk.

Both need a real embedder to mean anything, so both run the local MiniLM (slow tests);
the summarizing model is a loopback server answering with a recorded tool-call
response, reached through ``OPENAI_BASE_URL`` as a user would point the CLI at it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("surrealdb", reason="the memory extra is not installed")

from fluent_ai.memory import Memory, Scope
from tests.support.minilm import minilm_cache
from tests.support.replay import replay_server
from tests.unit.cli.test_memory_cli import cli
from tests.unit.memory.test_facts import answer

pytestmark = pytest.mark.slow

ADA = Scope(user="ada")


def test_reembed_moves_a_store_to_the_local_model(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    url = f"surrealkv://{tmp_path / 'store'}"
    with Memory.open(url, embedder=None, dimensions=4) as memory:
        cat = memory.add_sync("Ada adopted a grey cat called Pixel", vector=[1, 0, 0, 0])
        memory.add_sync("Ada's car is a red Volvo", vector=[0, 1, 0, 0])

    with minilm_cache(tmp_path_factory):
        done = json.loads(
            cli("memory", "reembed", "local/all-minilm-l6-v2", "--store", url, "--json")
        )
        hits = json.loads(
            cli("memory", "search", "What animal does Ada have?", "--json", "--store", url)
        )

    assert (done["memories"], done["dimensions"]) == (2, 384)
    assert hits[0]["memory"]["id"] == cat.id


def test_summarize_turns_old_episodes_into_facts(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"surrealkv://{tmp_path / 'store'}"
    old = datetime.now(UTC) - timedelta(days=3)
    with minilm_cache(tmp_path_factory):
        with Memory.open(url) as memory:
            said = memory.add_sync("I moved to Lisbon in May", scope=ADA, created_at=old)
            memory.add_sync("I just got back from lunch", scope=ADA)  # too recent
        learned = answer(("add_fact", {"fact": "Ada lives in Lisbon", "importance": 0.7}))
        with replay_server([learned]) as server:
            monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
            monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
            summaries = json.loads(
                cli(
                    "memory",
                    "summarize",
                    "-m",
                    "openai/gpt-5-mini",
                    "--user",
                    "ada",
                    "--json",
                    "--store",
                    url,
                )
            )

    [summary] = summaries
    assert (summary["day"], summary["episodes"]) == (old.date().isoformat(), [said.id])
    assert summary["scope"] == {"user": "ada"}
    [change] = summary["changes"]
    assert (change["operation"], change["content"]) == ("add", "Ada lives in Lisbon")
    assert server.errors == []
