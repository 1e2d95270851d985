"""Limits and shared state as the router's config file names them, and bad ones refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.engine import Router
from fluent_ai.types import ConfigurationError


def test_limits_come_from_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-limits-key")
    path = tmp_path / "router.yaml"
    path.write_text(
        "wait_for_capacity: 2.5\n"
        "deployments:\n"
        "  - {model: openai/gpt-4o-mini, rpm: 500, tpm: 200000, max_in_flight: 8}\n"
    )
    router = Router.from_config(path)
    (limited,) = router.deployments
    assert (limited.rpm, limited.tpm, limited.max_in_flight) == (500, 200_000, 8)
    assert router._plan.capacity.wait == 2.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deployments: [{model: openai/gpt-4o-mini, rpm: 0}]", "rpm must be a whole number"),
        ("deployments: [{model: openai/gpt-4o-mini, tpm: 1.5}]", "tpm must be a whole number"),
        ("state: memcached://x\ndeployments: [openai/gpt-4o-mini]", "redis:// or rediss://"),
        ("state: redis://:pw@host/0\ndeployments: [openai/gpt-4o-mini]", "holds a password"),
        ("wait_for_capacity: soon\ndeployments: [openai/gpt-4o-mini]", "seconds or null"),
    ],
)
def test_bad_limits_are_refused_with_what_to_write(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "router.yaml"
    path.write_text(text)
    with pytest.raises(ConfigurationError, match=message) as caught:
        Router.from_config(path)
    assert "pw" not in str(caught.value)
