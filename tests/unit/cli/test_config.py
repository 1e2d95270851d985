"""``fluent-ai config``: the file it writes, what it refuses, and the chat defaults it sets."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from fluent_ai.cli import app
from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.settings import Settings, load, to_toml
from fluent_ai.providers.catalog import DEFAULT_MODEL
from tests.support.cassettes import cassettes
from tests.support.cassettes import load as load_cassette
from tests.support.replay import replay_server

runner = CliRunner()


def config(*args: str) -> Result:
    return runner.invoke(app, ["config", *args])


def test_set_get_list_unset(config_home: Path) -> None:
    assert config("set", "default_model", "openai/gpt-4o-mini").exit_code == 0
    assert config("set", "temperature", "0.7").exit_code == 0
    assert config("set", "max_tokens", "800").exit_code == 0
    assert config("set", "system_prompt", 'Say "hi"\nthen stop').exit_code == 0
    assert config("set", "aliases.fast", "anthropic/claude-sonnet-4-5").exit_code == 0

    path = config_home / "config.toml"
    assert config("path").stdout == f"{path}\n"
    assert tomllib.loads(path.read_text()) == {
        "default_model": "openai/gpt-4o-mini",
        "temperature": 0.7,
        "max_tokens": 800,
        "system_prompt": 'Say "hi"\nthen stop',
        "aliases": {"fast": "anthropic/claude-sonnet-4-5"},
    }
    assert config("get", "temperature").stdout == "0.7\n"
    assert config("get", "aliases.fast").stdout == "anthropic/claude-sonnet-4-5\n"
    listed = config("list").stdout
    assert 'default_model = "openai/gpt-4o-mini"' in listed
    assert "[aliases]" in listed
    assert json.loads(config("list", "--json").stdout)["max_tokens"] == 800

    assert config("unset", "aliases.fast").exit_code == 0
    assert config("unset", "temperature").exit_code == 0
    assert load() == Settings(
        default_model="openai/gpt-4o-mini", max_tokens=800, system_prompt='Say "hi"\nthen stop'
    )
    missing = config("get", "temperature")
    assert missing.exit_code != 0
    assert isinstance(missing.exception, CLIError)
    assert "temperature is not set" in str(missing.exception)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("openai_api_key", "sk-proj-abcdefghijklmnop", "looks like an API key"),
        ("api_key", "anything", "looks like an API key"),
        ("system_prompt", "sk-ant-api03-abcdefghijklmnop", "looks like an API key"),
        ("colour", "blue", "unknown setting 'colour'"),
        ("temperature", "warm", "temperature must be a number"),
        ("temperature", "-1", "0 or above"),
        ("max_tokens", "0", "1 or more"),
        ("max_tokens", "1.5", "must be a whole number"),
        ("default_model", "nowhere/model", "unknown provider 'nowhere'"),
        ("aliases.a/b", "openai/gpt-4o", "alias name 'a/b' is not allowed"),
    ],
)
def test_refused(config_home: Path, key: str, value: str, problem: str) -> None:
    result = config("set", "--", key, value)  # "--": "-1" is a value, not an option
    assert result.exit_code != 0
    assert problem in str(result.exception)
    assert "abcdefghijklmnop" not in str(result.exception)  # a key is never echoed
    assert not (config_home / "config.toml").exists()


def test_a_refused_key_names_its_environment_variable() -> None:
    result = config("set", "anthropic_api_key", "sk-ant-whatever")
    assert isinstance(result.exception, CLIError)
    assert (
        result.exception.hint
        == "set it in the environment instead, e.g. export ANTHROPIC_API_KEY=…"
    )


def test_a_hand_written_key_in_the_file_is_refused_and_can_be_unset(config_home: Path) -> None:
    config_home.mkdir()
    (config_home / "config.toml").write_text('openai_api_key = "sk-proj-abcdefghijkl"\n')
    with pytest.raises(CLIError, match="'openai_api_key' looks like an API key"):
        load()
    assert config("unset", "openai_api_key").exit_code == 0
    assert load() == Settings()


def test_a_broken_file_is_named(config_home: Path) -> None:
    config_home.mkdir()
    (config_home / "config.toml").write_text("default_model = \n")
    with pytest.raises(CLIError, match=r"config\.toml is not valid TOML"):
        load()


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=60))
def test_any_string_survives_the_file(text: str) -> None:
    table = {"system_prompt": text, "aliases": {text or "x": "openai/gpt-4o"}}
    assert tomllib.loads(to_toml(table)) == table


def test_model_choice_flag_then_file_then_builtin() -> None:
    settings = Settings(default_model="fast", aliases={"fast": "openai/gpt-4o-mini"})
    assert settings.model() == "openai/gpt-4o-mini"
    assert settings.model("anthropic/claude-sonnet-4-5") == "anthropic/claude-sonnet-4-5"
    assert Settings().model() == DEFAULT_MODEL


def test_chat_takes_its_defaults_from_the_file_and_flags_win() -> None:
    (path,) = [p for p in cassettes("anthropic") if p.stem.endswith("thinking_part_stream")]
    for key, value in [
        ("aliases.sonnet", "anthropic/claude-sonnet-4-5"),
        ("default_model", "sonnet"),
        ("temperature", "0.3"),
        ("max_tokens", "1234"),
        ("system_prompt", "From the config"),
    ]:
        assert config("set", key, value).exit_code == 0
    items = load_cassette(path)
    with replay_server(items * 2) as server:
        plain = runner.invoke(app, ["chat", "--base-url", server.base_url, "Hi"], input="")
        flags = ["-t", "0.9", "--max-tokens", "50", "-s", "From a flag"]
        flagged = runner.invoke(app, ["chat", "--base-url", server.base_url, *flags, "Hi"])
    assert plain.exit_code == 0, plain.output
    assert flagged.exit_code == 0, flagged.output
    first, second = (received.body for received in server.received)
    assert first["model"] == "claude-sonnet-4-5"
    assert (first["temperature"], first["max_tokens"], first["system"]) == (
        0.3,
        1234,
        "From the config",
    )
    assert (second["temperature"], second["max_tokens"], second["system"]) == (
        0.9,
        50,
        "From a flag",
    )
