"""What the gateway tells its operators: /ready, /metrics, one JSON line per request, CORS."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import httpx
from prometheus_client.parser import text_string_to_metric_families

from fluent_ai.engine import Deployment, Router
from tests.support.faults import Upstream, upstream
from tests.support.gateway import KEY_ENV, QUESTION, serving


@pytest.fixture
def gpt() -> Iterator[tuple[Upstream, str]]:
    with upstream("gpt") as up:
        deployment = Deployment("openai/gpt-4o", name="gpt-a", base_url=up.v1, api_key_env=KEY_ENV)
        with serving({"fast": Router([deployment], retry=None)}) as url:
            yield up, url


def samples(url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = httpx.get(url + "/metrics").text
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_count_requests_tokens_and_times(gpt: tuple[Upstream, str]) -> None:
    _, url = gpt
    whole = httpx.post(url + "/v1/chat/completions", json={"model": "fast", "messages": QUESTION})
    body = {"model": "fast", "messages": QUESTION, "stream": True}
    streamed = httpx.post(url + "/v1/chat/completions", json=body)
    assert (whole.status_code, streamed.status_code) == (200, 200)
    usage = whole.json()["usage"]
    found = samples(url)
    path = ("path", "/v1/chat/completions")
    ok = frozenset({path, ("model", "fast"), ("status", "200")})
    assert found[("fluent_ai_gateway_requests_total", ok)] == 2
    input_tokens = found[
        ("fluent_ai_gateway_tokens_total", frozenset({("model", "fast"), ("kind", "input")}))
    ]
    assert input_tokens >= usage["prompt_tokens"]  # the whole answer's, plus the stream's
    timed = frozenset({path, ("model", "fast")})
    assert found[("fluent_ai_gateway_request_seconds_count", timed)] == 2
    assert found[("fluent_ai_gateway_first_byte_seconds_count", timed)] == 2


def test_each_request_is_one_json_line_with_no_prompt_or_key(
    gpt: tuple[Upstream, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, url = gpt
    with caplog.at_level(logging.INFO, logger="fluent_ai.server.access"):
        body = {"model": "fast", "messages": QUESTION, "stream": True}
        httpx.post(url + "/v1/chat/completions", json=body)
        httpx.post(url + "/v1/chat/completions", json={"model": "nope", "messages": QUESTION})
    lines = [r.getMessage() for r in caplog.records if r.name == "fluent_ai.server.access"]
    streamed, unknown = (json.loads(line) for line in lines)
    assert streamed["status"] == 200
    assert streamed["stream"] is True
    assert streamed["model"] == "fast"
    assert streamed["deployment"] == "gpt-a"
    assert streamed["output_tokens"] > 0
    assert streamed["first_byte"] <= streamed["seconds"]
    assert (unknown["status"], unknown["model"]) == (404, "nope")
    assert not any("capital" in line or "sk-" in line for line in lines)


def test_ready_while_serving(gpt: tuple[Upstream, str]) -> None:
    _, url = gpt
    assert httpx.get(url + "/ready").json() == {"status": "ready"}


def test_cors_is_off_unless_origins_are_given(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    preflight = {
        "origin": "https://app.example",
        "access-control-request-method": "POST",
    }
    closed = httpx.options(url + "/v1/chat/completions", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    router = Router([Deployment("openai/gpt-4o", base_url=up.v1, api_key_env=KEY_ENV)])
    with serving({"fast": router}, cors_origins=["https://app.example"]) as open_url:
        opened = httpx.options(open_url + "/v1/chat/completions", headers=preflight)
    assert opened.headers["access-control-allow-origin"] == "https://app.example"
