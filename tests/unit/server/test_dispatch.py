"""The inference routes taken before Starlette's router (:mod:`fluent_ai.server.dispatch`)
and the stream's own disconnect watch (:class:`fluent_ai.server.streaming.EventStream`)
keep what the router and Starlette's stream gave: CORS, other methods' 405, the
trailing-slash redirect, bodies in pieces, and streams that end cleanly one after
another on one connection."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import httpx

from fluent_ai.engine import Deployment, Router
from tests.support.faults import Upstream, upstream
from tests.support.gateway import KEY_ENV, QUESTION, recorded, serving
from tests.unit.server.test_operations import samples

ORIGIN = "https://app.example"


@pytest.fixture
def gpt() -> Iterator[tuple[Upstream, str]]:
    """GPT served as ``fast``, with CORS open to :data:`ORIGIN`."""
    with upstream("gpt") as up:
        deployment = Deployment("openai/gpt-4o", base_url=up.v1, api_key_env=KEY_ENV)
        with serving({"fast": Router([deployment], retry=None)}, cors_origins=[ORIGIN]) as url:
            yield up, url


def test_a_call_from_an_allowed_origin_gets_its_cors_header(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    body = {"model": "fast", "messages": QUESTION}
    reply = httpx.post(url + "/v1/chat/completions", json=body, headers={"origin": ORIGIN})
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == ORIGIN
    assert reply.json()["choices"][0]["message"]["content"] == recorded(up, stream=False).text


def test_other_methods_and_paths_still_go_to_the_router(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    wrong_method = httpx.get(url + "/v1/chat/completions")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"
    slash = httpx.post(url + "/v1/chat/completions/", json={"model": "fast"})
    assert slash.status_code == 307
    assert slash.headers["location"].endswith("/v1/chat/completions")
    assert httpx.post(url + "/v1/chat/completion", json={}).status_code == 404
    assert up.served == []


def test_a_body_sent_in_pieces_is_read_whole(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    raw = b'{"model": "fast", "messages": [{"role": "user", "content": "What is 2+2?"}]}'
    pieces = iter([raw[:10], raw[10:40], raw[40:]])  # chunked: no content-length
    reply = httpx.post(url + "/v1/chat/completions", content=pieces)
    assert reply.status_code == 200, reply.text
    assert up.served[0].body["messages"][0]["content"] == "What is 2+2?"


def test_a_body_past_the_limit_in_pieces_is_refused() -> None:
    with upstream("gpt") as up:
        deployment = Deployment("openai/gpt-4o", base_url=up.v1, api_key_env=KEY_ENV)
        with serving({"fast": Router([deployment], retry=None)}, max_body=100) as url:
            pieces = iter([b'{"model": "fast", "x": "', b"y" * 80, b"y" * 80, b'"}'])
            reply = httpx.post(url + "/v1/chat/completions", content=pieces)
    assert reply.status_code == 413
    assert "larger than 100 bytes" in reply.json()["error"]["message"]
    assert up.served == []


def test_streams_end_cleanly_one_after_another_on_one_connection(
    gpt: tuple[Upstream, str],
) -> None:
    up, url = gpt
    body = {"model": "fast", "messages": QUESTION, "stream": True}
    with httpx.Client(base_url=url) as client:
        for _ in range(3):
            reply = client.post("/v1/chat/completions", json=body)
            assert reply.status_code == 200
            assert reply.text.endswith("data: [DONE]\n\n")
        whole = client.post("/v1/chat/completions", json={"model": "fast", "messages": QUESTION})
        assert whole.status_code == 200
    found = samples(url)
    ok = frozenset({("path", "/v1/chat/completions"), ("model", "fast"), ("status", "200")})
    assert found[("fluent_ai_gateway_requests_total", ok)] == 4
    assert found[("fluent_ai_gateway_in_flight", frozenset())] == 1  # the scrape itself
    assert len(up.served) == 4
