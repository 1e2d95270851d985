"""``/v1/messages/count_tokens`` through the gateway: exact where the model can count.

The official ``anthropic`` SDK asks the gateway (uvicorn on loopback); the gateway asks
the counting deployment's vendor, a loopback server replaying a recorded count
(``../shared/recordings``), or the local model's tokenizer. Where no one tokenizer
answers for the router, the count is the estimate, and the header says which.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import anthropic
from anthropic.types import MessageParam

from fluent_ai.engine import Deployment, Router
from fluent_ai.engine.observe import Observed
from fluent_ai.server.tokens import Counters
from fluent_ai.types import ChatRequest, Message
from tests.support.cassettes import Interaction, load, recordings_dir
from tests.support.gateway import KEY_ENV, serving
from tests.support.replay import replay_server

FOX = "The quick brown fox jumps over the lazydog."
ASK_FOX: list[MessageParam] = [{"role": "user", "content": FOX}]
HEADER = "x-fluent-ai-token-count"


def recorded(folder: str, name: str) -> tuple[Interaction, ...]:
    return load(recordings_dir() / folder / name)


def claude_count() -> tuple[Interaction, ...]:
    name = "test_anthropic__test_anthropic_model_usage_limit_not_exceeded.yaml"
    return recorded("anthropic", name)[:1]


def router(*specs: tuple[str, str], strategy: str = "fallbacks") -> Router:
    """A router over ``(spec, base URL)`` deployments, named ``d0``, ``d1``…"""
    deployments = [
        Deployment(spec, name=f"d{i}", base_url=url, api_key_env=KEY_ENV)
        for i, (spec, url) in enumerate(specs)
    ]
    return Router(deployments, strategy=strategy, retry=None)  # type: ignore[arg-type]


def client(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url, api_key="caller-key", max_retries=0)


def test_claude_counts_exactly_through_the_gateway() -> None:
    item = claude_count()
    with replay_server(item) as replay:
        served = router(("anthropic/claude-sonnet-4-5", replay.base_url))
        with serving({"smart": served}) as url:
            counted = client(url).messages.with_raw_response.count_tokens(
                model="smart", messages=ASK_FOX
            )
    assert counted.headers[HEADER] == "exact"
    assert counted.parse().input_tokens == 19  # Anthropic's own count, as recorded
    [sent] = replay.received
    assert sent.path == "/v1/messages/count_tokens"
    assert sent.body == item[0].request_body  # the deployment's model name, the prompt alone
    assert sent.headers["x-api-key"] == "sk-upstream-key"


def test_gemini_counts_exactly_for_an_anthropic_client() -> None:
    item = recorded("google", "test_google__test_google_model_usage_limit_not_exceeded.yaml")
    with replay_server(item[:1]) as replay:
        served = router(("google/gemini-2.5-flash", replay.base_url + "/v1beta"))
        with serving({"gemini": served}) as url:
            counted = client(url).messages.with_raw_response.count_tokens(
                model="gemini", messages=ASK_FOX
            )
    assert counted.headers[HEADER] == "exact"
    assert counted.parse().input_tokens == 12
    assert replay.received[0].body == item[0].request_body  # contents alone: no max_tokens


def test_the_vendor_s_refusal_comes_back_in_anthropic_s_format() -> None:
    item = recorded("anthropic", "test_anthropic__test_anthropic_count_tokens_error.yaml")
    with replay_server(item) as replay:
        served = router(("anthropic/claude-does-not-exist", replay.base_url))
        with serving({"smart": served}) as url, pytest.raises(anthropic.NotFoundError) as raised:
            client(url).messages.count_tokens(model="smart", messages=ASK_FOX)
    assert raised.value.status_code == 404
    body = raised.value.body
    assert isinstance(body, dict)
    assert body["type"] == "error"
    assert body["error"]["type"] == "not_found_error"
    assert "model: claude-does-not-exist" in body["error"]["message"]  # the vendor's words


def test_a_router_served_with_telemetry_counts_through_its_wrapper() -> None:
    with replay_server(claude_count()) as replay:
        served = Observed(router(("anthropic/claude-sonnet-4-5", replay.base_url)), name="smart")
        with serving({"smart": served}) as url:
            counted = client(url).messages.with_raw_response.count_tokens(
                model="smart", messages=ASK_FOX
            )
    assert (counted.headers[HEADER], counted.parse().input_tokens) == ("exact", 19)


@pytest.mark.parametrize(
    ("specs", "strategy", "counter"),
    [
        (["openai/gpt-4o", "anthropic/claude-sonnet-4-5"], "fallbacks", None),
        (["anthropic/claude-sonnet-4-5", "openai/gpt-4o"], "fallbacks", "d0"),
        (["anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash"], "latency", None),
        (["anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"], "weighted", "d0"),
    ],
)
async def test_which_deployment_counts_for_a_router(
    specs: Sequence[str], strategy: str, counter: str | None
) -> None:
    """The first deployment, where it is the one that answers: a ``fallbacks`` router's
    primary, or any deployment of a router whose deployments all serve one model."""
    served = router(*((spec, "http://127.0.0.1:9") for spec in specs), strategy=strategy)
    counters = Counters({"r": served})
    found = counters.get("r")
    assert (found.deployment if found is not None else None) == counter
    await counters.aclose()
    await served.aclose()


def test_a_router_with_no_counter_is_estimated_and_never_asked_upstream() -> None:
    with replay_server(()) as replay:
        served = router(("openai/gpt-4o", replay.base_url))
        with serving({"fast": served}) as url:
            counted = client(url).messages.with_raw_response.count_tokens(
                model="fast", messages=ASK_FOX
            )
    assert counted.headers[HEADER] == "estimate"
    assert 10 < counted.parse().input_tokens < 20  # 43 characters and a message's overhead
    assert replay.received == []


def test_the_local_model_counts_with_its_own_tokenizer(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime", reason="the local extra is not installed")
    from gguf import GGMLQuantizationType

    from fluent_ai.providers.local import LocalChatModel
    from tests.support.llama_reference import write_tiny_llama

    path = write_tiny_llama(tmp_path / "tiny.gguf", GGMLQuantizationType.Q4_0, chat=True)
    spec = f"local/{path}"
    local = LocalChatModel(spec, progress=False, cache_dir=tmp_path / "cache")
    served = Router([Deployment(spec, name="tiny", chat_model=local)], retry=None)
    with serving({"local": served}) as url:
        counted = client(url).messages.with_raw_response.count_tokens(
            model="local", messages=[{"role": "user", "content": "hi there"}]
        )
    request = ChatRequest(model=str(path), messages=[Message.user("hi there")], max_tokens=1)
    answer = asyncio.run(local.complete(request))
    assert counted.headers[HEADER] == "exact"
    assert counted.parse().input_tokens == answer.usage.input_tokens  # what it then reads
