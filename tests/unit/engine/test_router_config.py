"""``Router.from_config``: one YAML file, keys only by environment variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.engine import HealthPolicy, Router
from fluent_ai.http import Timeouts
from fluent_ai.types import AuthenticationError, ConfigurationError

CONFIG = """
routers:
  main:
    strategy: latency
    first_event_timeout: 10
    failover_on: [AuthenticationError]
    retry: null
    health: {allowed_failures: 2, cooldown: 9, breaker_failures: 4, open_for: 60}
    deployments:
      - openai/gpt-4o-mini
      - model: anthropic/claude-haiku-4-5
        name: haiku
        api_key_env: ROUTER_CONFIG_KEY
        base_url: http://127.0.0.1:9/anthropic
        weight: 2
        tags: [cheap, eu]
        settings: {temperature: 0.2, top_k: 5}
        timeouts: {connect: 2, read: 30}
        max_in_flight: 8
  other:
    deployments: [openai/gpt-4o]
"""


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-openai")
    monkeypatch.setenv("ROUTER_CONFIG_KEY", "sk-test-anthropic")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "router.yaml"
    path.write_text(text)
    return path


@pytest.mark.usefixtures("keys")
def test_a_named_router_from_yaml(tmp_path: Path) -> None:
    router = Router.from_config(write(tmp_path, CONFIG), "main")
    assert router.strategy == "latency"
    assert router._first_event_timeout == 10
    assert router._failover_on == (AuthenticationError,)
    assert router._retry is None
    assert router._policy == HealthPolicy(
        allowed_failures=2, cooldown=9, breaker_failures=4, open_for=60
    )
    mini, haiku = router.deployments
    assert mini.name == "openai/gpt-4o-mini"
    assert haiku.name == "haiku"
    assert haiku.tags == ("cheap", "eu")
    assert haiku.weight == 2
    assert haiku.timeouts == Timeouts(connect=2, read=30)
    assert haiku.max_in_flight == 8
    member = router._members[1]
    assert member.fields == {"temperature": 0.2}
    assert member.extra == {"top_k": 5}
    assert member.model.base_url == "http://127.0.0.1:9/anthropic"  # type: ignore[attr-defined]
    other = Router.from_config(write(tmp_path, CONFIG), "other", strategy="cost")
    assert other.strategy == "cost"


@pytest.mark.usefixtures("keys")
def test_a_single_router_file(tmp_path: Path) -> None:
    router = Router.from_config(write(tmp_path, "deployments: [openai/gpt-4o-mini]\n"))
    assert [d.name for d in router.deployments] == ["openai/gpt-4o-mini"]


@pytest.mark.parametrize("field", ["api_key", "key", "API-KEY", "secret"])
def test_an_inline_key_is_refused_without_repeating_it(tmp_path: Path, field: str) -> None:
    text = f"deployments:\n  - model: openai/gpt-4o\n    {field}: sk-live-abcdefghijklmnop\n"
    with pytest.raises(ConfigurationError, match="api_key_env") as info:
        Router.from_config(write(tmp_path, text))
    assert "sk-live" not in str(info.value)


def test_an_inline_key_in_settings_is_refused(tmp_path: Path) -> None:
    text = "deployments:\n  - model: openai/gpt-4o\n    settings: {api_key: sk-live-abcdefgh}\n"
    with pytest.raises(ConfigurationError, match="settings: api_key") as info:
        Router.from_config(write(tmp_path, text))
    assert "sk-live" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deployments: []\n", "non-empty list"),
        ("strategy: fastest\ndeployments: [openai/gpt-4o]\n", "unknown routing strategy"),
        ("retries: 3\ndeployments: [openai/gpt-4o]\n", "unknown router setting"),
        ("deployments:\n  - model: openai/gpt-4o\n    wieght: 2\n", "unknown setting.*wieght"),
        ("deployments:\n  - name: x\n", "'model'"),
        ("failover_on: [Oops]\ndeployments: [openai/gpt-4o]\n", "no error type"),
        ("health: {cooldwn: 3}\ndeployments: [openai/gpt-4o]\n", "cooldwn"),
        ("routers: {a: {deployments: [x/y]}, b: {deployments: [x/y]}}\n", "name the one"),
        ("- not a mapping\n", "must be a mapping"),
        ("deployments: [openai/gpt-4o\n", "not valid YAML"),
    ],
)
@pytest.mark.usefixtures("keys")
def test_config_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Router.from_config(write(tmp_path, text))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read router config"):
        Router.from_config(tmp_path / "nope.yaml")
