"""``fluent-ai chat`` logs every call by default; ``fluent-ai logs`` lists, shows and searches.

The chat runs against a replayed Anthropic answer on loopback; the log goes to each
test's own data directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.cli import main
from fluent_ai.cli.app import app
from fluent_ai.engine.calllog import CallLog
from tests.support.cassettes import cassettes, load
from tests.support.faults import Status, upstream
from tests.support.replay import replay_server

runner = CliRunner()
PROMPT = "Tell me a short fact about otters"


@pytest.fixture(autouse=True)
def data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("FLUENT_AI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FLUENT_AI_LOGS", raising=False)
    return tmp_path / "data"


def chat(*options: str, prompt: str = PROMPT) -> str:
    """Run ``fluent-ai chat`` on a replayed streamed answer; the answer's text."""
    (path,) = [p for p in cassettes("anthropic") if p.stem.endswith("thinking_part_stream")]
    with replay_server(load(path)) as server:
        args = ["chat", "-m", "anthropic/claude-sonnet-4-5", "--base-url", server.base_url]
        result = runner.invoke(app, [*args, *options, prompt], input="")
    assert result.exit_code == 0, result.output
    return result.output.rstrip("\n")


def logs(*args: str) -> str:
    result = runner.invoke(app, ["logs", *args], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.output


def test_chat_logs_each_call_by_default_and_logs_reads_it(data_home: Path) -> None:
    answer = chat()
    (call,) = json.loads(logs("list", "--json"))
    assert call["id"] == 1
    assert call["prompt"] == PROMPT
    assert call["answer"] == answer
    assert (call["provider"], call["model"], call["stream"]) == (
        "anthropic",
        "claude-sonnet-4-5",
        True,
    )
    assert call["input_tokens"] > 0
    assert call["output_tokens"] > 0
    assert call["cost_usd"] is not None
    assert call["cost_usd"] > 0
    assert call["conversation"]
    assert call["outcome"] == "ok"
    assert (data_home / "logs.sqlite3").exists()
    assert b"sk-ant-test" not in (data_home / "logs.sqlite3").read_bytes()

    table = logs()  # ``fluent-ai logs`` alone lists too
    assert "anthropic/claude-sonnet-4-5" in table
    assert "Tell me a short fact" in table
    assert f"{call['input_tokens']:,} + {call['output_tokens']:,}" in table

    shown = logs("show", "1")
    assert PROMPT in shown
    assert answer.splitlines()[0] in shown
    assert json.loads(logs("show", "1", "--json")) == call


def test_search_and_count(data_home: Path) -> None:
    chat()
    chat(prompt="What do beavers build?")
    assert [c["id"] for c in json.loads(logs("search", "beavers", "--json"))] == [2]
    assert [c["id"] for c in json.loads(logs("search", "otters fact", "--json"))] == [1]
    assert json.loads(logs("search", "platypus", "--json")) == []
    assert "no call matches 'platypus'" in logs("search", "platypus")
    assert [c["id"] for c in json.loads(logs("list", "-n", "1", "--json"))] == [2]
    assert [c["id"] for c in json.loads(logs("--count", "5", "--json"))] == [2, 1]


def test_no_log_and_the_environment_turn_the_log_off(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat("--no-log")
    monkeypatch.setenv("FLUENT_AI_LOGS", "0")
    chat()
    assert not (data_home / "logs.sqlite3").exists()
    assert "no calls logged yet" in logs("list")
    monkeypatch.setenv("FLUENT_AI_LOGS", "1")
    chat()
    assert CallLog(data_home / "logs.sqlite3").count() == 1


def test_a_missing_call_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    chat()
    with pytest.raises(SystemExit) as stopped:
        main(["logs", "show", "7", "--json"])
    assert stopped.value.code == 1
    error = json.loads(capsys.readouterr().err)
    assert error["type"] == "CLIError"
    assert error["message"].startswith("no call 7 in ")
    assert error["hints"] == ["'fluent-ai logs list' shows the ids"]


def test_a_log_file_that_is_not_there_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["logs", "list", "--path", str(tmp_path / "nowhere.sqlite3")])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --path ")
    assert "no such file" in err
    assert err.count("\n") == 1


def test_a_routed_chat_logs_the_deployment_that_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGS_ROUTER_KEY", "sk-test-logs-router")
    config = tmp_path / "router.yaml"
    with upstream("mini", default=Status(503)) as a, upstream("haiku", "anthropic") as b:
        config.write_text(
            "routers:\n  main:\n    retry: null\n    deployments:\n"
            f'      - {{model: openai/gpt-4o-mini, name: mini, base_url: "{a.v1}", '
            "api_key_env: LOGS_ROUTER_KEY}\n"
            "      - {model: anthropic/claude-haiku-4-5, name: haiku, "
            f'base_url: "{b.base_url}"}}\n'
        )
        args = ["chat", "-m", "router:main", "--router-config", str(config), PROMPT]
        result = runner.invoke(app, args, input="")
    assert result.exit_code == 0, result.output
    (call,) = json.loads(logs("list", "--json"))
    assert call["provider"] == "router"
    assert call["deployment"] == "haiku"  # from the route the answer carries
    assert call["answer"]
    assert "router/" in logs()
    assert "(haiku)" in logs()
