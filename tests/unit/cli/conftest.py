"""Every CLI test gets its own config directory and a placeholder Anthropic key."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    config = tmp_path / "config"
    monkeypatch.setenv("FLUENT_AI_CONFIG_DIR", str(config))
    monkeypatch.setenv("FLUENT_AI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    return config
