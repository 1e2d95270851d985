"""``fluent-ai chat -m router:NAME``: a router from the router config file, and a line
saying which deployment answered.

The deployments are loopback upstreams (``tests/support/faults.py``) answering with
recorded OpenAI and Anthropic traffic; the first answers 503 on cue, so the answer
comes from the second over the real HTTP path.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from fluent_ai.cli import app
from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.repl import _answer, _command, _show_usage
from fluent_ai.cli.session import ChatSession
from tests.support.faults import Status, Upstream, upstream

runner = CliRunner()
KEY_ENV = "CHAT_ROUTER_KEY"
ANSWERED = (
    "answered by haiku · router (fallbacks) tried mini (ProviderUnavailableError, HTTP 503), "
    "haiku (answered)"
)


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "sk-test-chat-router")
    monkeypatch.delenv("FLUENT_AI_ROUTER_CONFIG", raising=False)


@pytest.fixture
def two() -> Iterator[tuple[Upstream, Upstream]]:
    with upstream("mini") as a, upstream("haiku", "anthropic") as b:
        yield a, b


def config_text(a: Upstream, b: Upstream) -> str:
    return f"""
routers:
  main:
    retry: null
    deployments:
      - {{model: openai/gpt-4o-mini, name: mini, base_url: "{a.v1}", api_key_env: {KEY_ENV}}}
      - {{model: anthropic/claude-haiku-4-5, name: haiku, base_url: "{b.base_url}"}}
  solo:
    deployments: [openai/gpt-4o-mini]
"""


def chat(*args: str) -> Result:
    return runner.invoke(app, ["chat", *args], input="")


def test_chat_through_a_router_in_the_config_dir_says_who_answered(
    config_home: Path, two: tuple[Upstream, Upstream]
) -> None:
    a, b = two
    config_home.mkdir(parents=True, exist_ok=True)
    (config_home / "router.yaml").write_text(config_text(a, b))
    a.script(Status(503))

    result = chat("-m", "router:main", "What is the capital of France?")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert result.stderr.strip() == ANSWERED
    assert [s.action for s in a.served] == [Status(503)]
    assert b.served[0].body["model"] == "claude-haiku-4-5"
    assert b.served[0].body["messages"][0]["content"][0]["text"] == (
        "What is the capital of France?"
    )

    again = chat("-m", "router:main", "--usage", "Hi")  # mini answers now
    assert again.exit_code == 0, again.output
    lines = again.stderr.strip().splitlines()
    assert lines[0] == "answered by mini · router (fallbacks) tried mini (answered)"
    assert "tokens" in lines[1]


def test_the_file_from_an_option_or_the_environment_and_json_output(
    tmp_path: Path, two: tuple[Upstream, Upstream], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = two
    path = tmp_path / "elsewhere.yaml"
    path.write_text(config_text(a, b))
    a.script(Status(503), Status(503))

    flagged = chat("-m", "router:main", "--router-config", str(path), "--json", "Hi")
    assert flagged.exit_code == 0, flagged.output
    route = json.loads(flagged.stdout)["extra"]["route"]
    assert route["deployment"] == "haiku"
    assert [x["status"] for x in route["attempts"]] == [503, None]

    monkeypatch.setenv("FLUENT_AI_ROUTER_CONFIG", str(path))
    from_env = chat("-m", "router:main", "Hi")
    assert from_env.exit_code == 0, from_env.output
    assert from_env.stderr.strip() == ANSWERED


def test_a_router_as_the_default_model(config_home: Path, two: tuple[Upstream, Upstream]) -> None:
    config_home.mkdir(parents=True, exist_ok=True)
    (config_home / "router.yaml").write_text(config_text(*two))
    assert runner.invoke(app, ["config", "set", "default_model", "router:main"]).exit_code == 0
    result = chat("Hi")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("answered by mini")


def test_a_missing_file_and_an_unknown_router_are_clear_errors(
    config_home: Path, two: tuple[Upstream, Upstream]
) -> None:
    missing = chat("-m", "router:main", "Hi")
    assert isinstance(missing.exception, CLIError)
    message = str(missing.exception)
    assert f"there is no router config file at {config_home / 'router.yaml'}" in message
    assert "--router-config PATH or FLUENT_AI_ROUTER_CONFIG" in message

    config_home.mkdir(parents=True, exist_ok=True)
    (config_home / "router.yaml").write_text(config_text(*two))
    unknown = chat("-m", "router:fast", "Hi")
    assert isinstance(unknown.exception, CLIError)
    assert "has no router 'fast' (it has main, solo)" in str(unknown.exception)

    several = chat("-m", "router:", "Hi")
    assert isinstance(several.exception, CLIError)
    assert "has several routers (main, solo); name the one to use" in str(several.exception)

    with_url = chat("-m", "router:main", "--base-url", "http://127.0.0.1:9", "Hi")
    assert isinstance(with_url.exception, CLIError)
    assert "--base-url does not apply to -m router:main" in str(with_url.exception)
    assert all(not up.served for up in two)


def test_the_repl_switches_to_a_router_and_says_who_answered(
    tmp_path: Path, two: tuple[Upstream, Upstream], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two
    path = tmp_path / "router.yaml"
    path.write_text(config_text(a, b))
    a.script(Status(503))
    session = ChatSession(model="anthropic/claude-haiku-4-5", router_config=path)
    assert _command(session, "/model router:main")
    assert capsys.readouterr().out == "model: router:main\n"
    router = session.agent.config.model
    session.change(system="Be brief.")  # rebuilt: the same router, its health kept
    assert session.agent.config.model is router

    asyncio.run(_answer(session, "Hi"))
    _show_usage(session)
    out = capsys.readouterr().out
    assert ANSWERED in out
    assert "session:" in out  # the usage line follows
    assert b.served[0].body["system"] == "Be brief."
