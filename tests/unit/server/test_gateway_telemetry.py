"""``telemetry: true`` in the gateway file: each call a GenAI span, each attempt a child."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")
pytest.importorskip("opentelemetry.sdk", reason="the OpenTelemetry SDK is not installed")

import httpx

from fluent_ai.engine.observe import Observed
from fluent_ai.server.config import served_models
from fluent_ai.types import ConfigurationError
from tests.support import otel
from tests.support.faults import Status, upstream
from tests.support.gateway import serving

KEY = "GATEWAY_OTEL_UPSTREAM_KEY"


def test_a_failed_over_call_is_one_span_with_a_child_per_attempt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY, "sk-upstream")
    spans = otel.install()
    with upstream("a") as a, upstream("b") as b:
        a.script(Status(500))
        path = tmp_path / "gateway.yaml"
        path.write_text(
            "telemetry: true\n"
            "routers:\n"
            "  fast:\n"
            "    retry: null\n"
            "    deployments:\n"
            f"      - {{model: openai/gpt-4o, name: a, base_url: '{a.v1}', api_key_env: {KEY}}}\n"
            f"      - {{model: openai/gpt-4o, name: b, base_url: '{b.v1}', api_key_env: {KEY}}}\n"
        )
        models = served_models(path)
        assert isinstance(models["fast"], Observed)
        spans.clear()
        with serving(models) as url:
            body = {"model": "fast", "messages": [{"role": "user", "content": "hi"}]}
            reply = httpx.post(url + "/v1/chat/completions", json=body)
    assert reply.status_code == 200
    finished = spans.get_finished_spans()
    [call] = [s for s in finished if s.parent is None]
    attempts = [s for s in finished if s.parent is not None]
    assert call.name == "chat fast"
    assert len(attempts) == 2
    assert all(s.parent is not None and s.parent.span_id == call.context.span_id for s in attempts)
    assert [s.status.is_ok for s in attempts] == [False, True]


def test_telemetry_must_be_a_switch(tmp_path: Path) -> None:
    path = tmp_path / "gateway.yaml"
    path.write_text("telemetry: yes please\ndeployments: [openai/gpt-4o]\n")
    with pytest.raises(ConfigurationError, match="'telemetry' must be true or false"):
        served_models(path)
