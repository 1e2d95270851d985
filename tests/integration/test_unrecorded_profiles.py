"""Vendors with no recordings of their own, over loopback HTTP.

They speak the OpenAI protocol, which the recordings test thoroughly; what is theirs
is where a request goes and how the key travels. Each test serves a real recorded
OpenAI answer at the path the vendor's documentation gives, with the vendor's base
URL pointed at the loopback server, and checks path, query, auth header and answer.
"""

from __future__ import annotations

import dataclasses

import pytest

from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import ChatRequest, Message
from tests.support.cassettes import cassettes, load
from tests.support.replay import replay_server

(RECORDING,) = [p for p in cassettes("openai") if p.stem.endswith("test_valid_response")]
KEY = "sk-vendor-test-key"

# provider: (key variable, base path as documented, auth header, auth value)
VENDORS = {
    "xai": ("XAI_API_KEY", "/v1", "authorization", f"Bearer {KEY}"),
    "together": ("TOGETHER_API_KEY", "/v1", "authorization", f"Bearer {KEY}"),
    "fireworks": ("FIREWORKS_API_KEY", "/inference/v1", "authorization", f"Bearer {KEY}"),
    "deepinfra": ("DEEPINFRA_API_KEY", "/v1/openai", "authorization", f"Bearer {KEY}"),
    "perplexity": ("PERPLEXITY_API_KEY", "", "authorization", f"Bearer {KEY}"),
}


def request(model: str) -> ChatRequest:
    return ChatRequest(model=model, messages=[Message.user("What is the capital of France?")])


@pytest.mark.parametrize("vendor", sorted(VENDORS))
async def test_openai_compatible_vendor(vendor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    key_env, prefix, header, value = VENDORS[vendor]
    (item,) = load(RECORDING)
    served = dataclasses.replace(item, path=f"{prefix}/chat/completions")
    with replay_server([served]) as server:
        monkeypatch.setenv(key_env, KEY)
        monkeypatch.setenv(f"{vendor.upper()}_BASE_URL", server.base_url + prefix)
        response = await chat_model(f"{vendor}/some-model").complete(request("some-model"))
    assert not server.errors, server.errors
    assert server.received[0].headers[header] == value
    assert server.received[0].body["model"] == "some-model"
    assert response.text == "The capital of France is Paris."
    assert response.provider == vendor


@pytest.mark.parametrize(
    ("api_version", "path", "query"),
    [
        (None, "/openai/v1/chat/completions", ""),
        ("2024-10-21", "/openai/deployments/my-gpt/chat/completions", "api-version=2024-10-21"),
    ],
)
async def test_azure_v1_and_deployment_urls(
    api_version: str | None, path: str, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (item,) = load(RECORDING)
    with replay_server([dataclasses.replace(item, path=path)]) as server:
        monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.base_url + "/")
        monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
        if api_version:
            monkeypatch.setenv("AZURE_OPENAI_API_VERSION", api_version)
        else:
            monkeypatch.delenv("AZURE_OPENAI_API_VERSION", raising=False)
        response = await chat_model("azure/my-gpt").complete(request("my-gpt"))
    assert not server.errors, server.errors
    sent = server.received[0]
    assert sent.query == query
    assert sent.headers["api-key"] == KEY
    assert "authorization" not in sent.headers
    assert response.text == "The capital of France is Paris."


def test_azure_without_an_endpoint_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    with pytest.raises(Exception, match="AZURE_OPENAI_ENDPOINT"):
        chat_model("azure/my-gpt", api_key="k")
