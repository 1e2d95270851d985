"""``fluent-ai chat`` end to end: options → agent → HTTP → replayed real answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluent_ai.chat import Conversation
from fluent_ai.cli import app
from fluent_ai.cli.repl import _command
from fluent_ai.cli.session import ChatSession
from fluent_ai.models import resolve
from tests.support.cassettes import cassettes, load
from tests.support.replay import replay_server

runner = CliRunner()


def get_user_country() -> str:
    """The country the user is in."""
    return "Mexico"


def recording(name: str) -> tuple:  # type: ignore[type-arg]
    (path,) = [p for p in cassettes("anthropic") if p.stem.endswith(name)]
    return load(path)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("FLUENT_AI_CONFIG_DIR", str(tmp_path / "config"))


def test_chat_streams_the_answer() -> None:
    items = recording("test_anthropic_model_thinking_part_stream")
    with replay_server(items) as server:
        result = runner.invoke(
            app,
            ["chat", "-m", "claude/claude-sonnet-4-5", "--base-url", server.base_url, "Hi"],
            input="",
        )
    assert result.exit_code == 0, result.output
    sent = server.received[0].body
    assert sent["stream"] is True
    assert sent["messages"][-1]["content"][0]["text"] == "Hi"
    expected = "".join(
        json.loads(line[5:])["delta"].get("text", "")
        for line in items[0].response_text.splitlines()
        if line.startswith("data:") and '"text_delta"' in line
    )
    assert result.output == expected + "\n"


def test_json_output_with_a_tool_and_piped_stdin() -> None:
    items = recording("test_anthropic_text_output_function")
    args = [
        "chat",
        "-m",
        "anthropic/claude-sonnet-4-5",
        "--base-url",
        "BASE",
        "--tool",
        "tests.integration.test_cli:get_user_country",
        "--system",
        "Be brief",
        "--max-tokens",
        "300",
        "--json",
        "Where is the user?",
    ]
    with replay_server(items) as server:
        args[args.index("BASE")] = server.base_url
        result = runner.invoke(app, args, input="extra context from a pipe")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    final = items[1].response_body
    assert answer["message"]["parts"][0]["text"] == final["content"][0]["text"]
    assert answer["usage"]["output_tokens"] == sum(
        i.response_body["usage"]["output_tokens"] for i in items
    )
    first = server.received[0].body
    assert first["system"] == "Be brief"
    assert first["max_tokens"] == 300
    assert first["messages"][0]["content"][0]["text"] == (
        "Where is the user?\n\nextra context from a pipe"
    )
    assert server.received[1].body["messages"][-1]["content"][0]["content"] == "Mexico"


def test_missing_key_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {k: v for k, v in __import__("os").environ.items() if k != "OPENAI_API_KEY"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from fluent_ai.cli import main; main()",
            "chat",
            "-m",
            "openai/gpt-4o-mini",
            "hello",
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert any("OPENAI_API_KEY" in line for line in lines), done.stderr
    assert "Traceback" not in done.stderr


def test_repl_commands_save_export_and_switch(tmp_path: Path) -> None:
    session = ChatSession(model="anthropic/claude-sonnet-4-5", system="Hi {{ date }}")
    session.agent.history.extend(
        [
            *Conversation.model_validate(
                {
                    "messages": [
                        {"role": "user", "parts": [{"type": "text", "text": "ping"}]},
                        {"role": "assistant", "parts": [{"type": "text", "text": "pong"}]},
                    ]
                }
            ).messages
        ]
    )
    assert _command(session, f"/save {tmp_path / 'chat.json'}")
    assert Conversation.load(tmp_path / "chat.json").messages == session.history
    for suffix in (".jsonl", ".md", ".html"):
        assert _command(session, f"/export {tmp_path / ('chat' + suffix)}")
        assert "pong" in (tmp_path / ("chat" + suffix)).read_text()
    with pytest.raises(Exception, match="unknown provider"):
        _command(session, "/model nowhere/model")
    assert session.model == "anthropic/claude-sonnet-4-5"  # a bad switch changes nothing
    assert [m.text for m in session.history] == ["ping", "pong"]
    assert _command(session, "/system Be terse")
    assert session.history[-1].text == "pong"  # the conversation survives a rebuild
    assert not _command(session, "/exit")


def test_latin1_stdin_and_arguments_are_answered_with_a_warning(tmp_path: Path) -> None:
    """The README's ``git diff | fluent-ai chat`` with a Latin-1 diff, through a real pipe."""
    items = recording("test_anthropic_model_thinking_part_stream")
    env = {**os.environ, "FLUENT_AI_CONFIG_DIR": str(tmp_path / "config")}
    with replay_server(items) as server:
        done = subprocess.run(
            [
                sys.executable.encode(),
                b"-c",
                b"from fluent_ai.cli import main; main()",
                b"chat",
                b"-m",
                b"anthropic/claude-sonnet-4-5",
                b"--base-url",
                server.base_url.encode(),
                b"R\xe9sum\xe9 this",
            ],
            input="Caf\xe9 cr\xe8me\n".encode("latin-1"),
            capture_output=True,
            env=env,
            timeout=60,
        )
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert (
        "warning: stdin is not valid UTF-8: replaced 2 bytes with U+FFFD "
        "(the first at byte 3, line 1)"
    ) in stderr
    assert "warning: the prompt is not valid UTF-8: replaced 2 bytes" in stderr
    sent = server.received[0].body["messages"][-1]["content"][0]["text"]
    assert sent == "R\ufffdsum\ufffd this\n\nCaf\ufffd cr\ufffdme\n"


def test_a_tool_module_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_cli_tools.py").write_text(
        'def get_user_country() -> str:\n    """The country the user is in."""\n'
        '    return "Mexico"\n'
    )
    monkeypatch.chdir(tmp_path)
    path_before = list(sys.path)
    items = recording("test_anthropic_text_output_function")
    with replay_server(items) as server:
        result = runner.invoke(
            app,
            [
                "chat",
                *("-m", "anthropic/claude-sonnet-4-5", "--base-url", server.base_url),
                *("--tool", "my_cli_tools:get_user_country", "--json", "Where is the user?"),
            ],
            input="",
        )
    assert result.exit_code == 0, result.output
    assert server.received[1].body["messages"][-1]["content"][0]["content"] == "Mexico"
    assert sys.path == path_before  # the directory was on the path for that import only


def test_a_missing_history_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    done = subprocess.run(
        [
            *(sys.executable, "-c", "from fluent_ai.cli import main; main()"),
            *("chat", "--history", str(missing), "hello"),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "FLUENT_AI_CONFIG_DIR": str(tmp_path / "config")},
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"error: --history {missing}: no such file; save a conversation with /save FILE "
        "in the chat REPL, then pass that file\n"
    )


def test_usage_after_the_answer_on_stderr() -> None:
    items = recording("test_anthropic_model_thinking_part_stream")
    with replay_server(items) as server:
        args = ["chat", "-m", "anthropic/claude-sonnet-4-5", "--base-url", server.base_url]
        result = runner.invoke(app, [*args, "--usage", "Hi"], input="")
    assert result.exit_code == 0, result.output
    usage = items[0].response_text.split('"usage":')[-1]
    assert '"output_tokens":282' in usage.replace(" ", "")
    line = result.stderr.strip()
    assert line.startswith("43 input + 282 output tokens · $")
    prices = resolve("anthropic/claude-sonnet-4-5")
    assert prices.input_price is not None
    assert prices.output_price is not None
    expected = (43 * prices.input_price + 282 * prices.output_price) / 1e6
    assert float(line.rsplit("$", 1)[1]) == pytest.approx(expected, rel=1e-3)
    assert "tokens" not in result.stdout


def test_models_list_and_show_as_json() -> None:
    shown = runner.invoke(app, ["models", "show", "claude-sonnet-4-5", "--json"])
    assert shown.exit_code == 0, shown.output
    model = json.loads(shown.stdout)
    assert model["id"].startswith("anthropic/claude-sonnet-4-5")
    assert model["provider"] == "anthropic"
    assert isinstance(model["input_price"], float)
    listed = runner.invoke(app, ["models", "list", "--provider", "anthropic", "--json"])
    assert listed.exit_code == 0, listed.output
    models = json.loads(listed.stdout)
    assert models
    assert {entry["provider"] for entry in models} == {"anthropic"}
    assert model["id"] in {entry["id"] for entry in models}
