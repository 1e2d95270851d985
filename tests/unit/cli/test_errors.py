"""The entry point: --version, shell completion, and errors as one line or one JSON object."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from fluent_ai.cli import main
from fluent_ai.cli.errors import error_object, wants_json
from fluent_ai.types import MissingAPIKeyError, RateLimitError


def exit_code(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    code = stopped.value.code
    return code if isinstance(code, int) else 0


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["--version"]) == 0
    assert capsys.readouterr().out == f"fluent-ai {version('fluent-ai')}\n"


def test_completion_is_offered_and_completes_commands(tmp_path: Path) -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    entry = [sys.executable, "-c", "from fluent_ai.cli import main; main()"]
    script = subprocess.run(
        [*entry, "--show-completion", "bash"], capture_output=True, text=True, env=env, timeout=60
    )
    assert script.returncode == 0, script.stderr
    assert "_FLUENT_AI_COMPLETE=complete_bash" in script.stdout
    words = {
        "_FLUENT_AI_COMPLETE": "complete_bash",
        "COMP_WORDS": "fluent-ai con",
        "COMP_CWORD": "1",
    }
    completed = subprocess.run(
        entry, capture_output=True, text=True, env={**env, **words}, timeout=60
    )
    assert completed.stdout.split() == ["config"]


def test_a_usage_error_with_json_is_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["chat", "--json", "--temperature", "hot", "Hi"]) == 2
    captured = capsys.readouterr()
    error = json.loads(captured.err)
    assert error["type"] == "BadParameter"
    assert error["message"].startswith("Invalid value for '-t' / '--temperature'")
    assert error["hints"] == ["run 'fluent-ai chat --help' for usage"]
    assert captured.out == ""


def test_a_library_error_with_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["models", "show", "gpt-4oo", "--json"]) == 1
    error = json.loads(capsys.readouterr().err)
    assert error["type"] == "UnknownModelError"
    assert error["message"].startswith("unknown model 'gpt-4oo'")
    assert any("openai/gpt-4o" in hint for hint in error["hints"])


def test_a_missing_key_with_json_names_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    assert exit_code(["chat", "-m", "openai/gpt-4o-mini", "--json", "Hi"]) == 1
    error = json.loads(capsys.readouterr().err)
    assert error["type"] == "AgentBuildError"
    assert any("set the environment variable OPENAI_API_KEY" in hint for hint in error["hints"])


def test_the_json_form_of_provider_errors() -> None:
    assert error_object(MissingAPIKeyError("openai", "OPENAI_API_KEY")) == {
        "type": "MissingAPIKeyError",
        "message": "no API key for openai: set the environment variable OPENAI_API_KEY",
        "hints": [
            "set the environment variable OPENAI_API_KEY (keys are never read from the config file)"
        ],
        "provider": "openai",
        "status": None,
        "retryable": False,
    }
    limited = RateLimitError("slow down", provider="anthropic", status=429, retry_after=2.5)
    assert error_object(limited)["hints"] == ["retry after 2.5 seconds"]
    assert error_object(limited)["retryable"] is True


def test_without_json_an_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["config", "set", "openai_api_key", "sk-proj-abcdefghijklmnop"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: 'openai_api_key' looks like an API key")
    assert "abcdefghijklmnop" not in err


def test_json_is_asked_for_before_a_double_dash() -> None:
    assert wants_json(["chat", "--json", "Hi"])
    assert not wants_json(["chat", "--", "--json"])
    assert not wants_json(["chat", "Hi"])
