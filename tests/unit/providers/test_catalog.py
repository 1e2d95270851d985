"""``provider/model`` strings → a ready chat model, with errors that say what to do."""

from __future__ import annotations

import pytest

from fluent_ai.models import UnknownModelError
from fluent_ai.providers.catalog import chat_model, provider_names, split_model
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import ConfigurationError, MissingAPIKeyError


def test_provider_aliases_and_bare_names_resolve() -> None:
    assert split_model("claude/claude-sonnet-4-5") == ("anthropic", "claude-sonnet-4-5")
    assert split_model("OpenAI/gpt-4o") == ("openai", "gpt-4o")
    assert split_model("claude-sonnet-4-5") == ("anthropic", "claude-sonnet-4-5")
    assert split_model("huggingface/meta-llama/Llama-3.3-70B") == (
        "huggingface",
        "meta-llama/Llama-3.3-70B",
    )


def test_unknown_bare_model_names_the_closest() -> None:
    with pytest.raises(UnknownModelError) as info:
        split_model("clade-sonet-4-5")
    assert len(info.value.suggestions) == 3
    assert "anthropic/claude-sonnet-4-5" in info.value.suggestions


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError) as info:
        chat_model("nosuch/model")
    for name in ("openai", "anthropic", "local"):
        assert name in str(info.value)
    assert set(provider_names()) >= {"openai", "anthropic", "groq", "local"}


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    with pytest.raises(MissingAPIKeyError) as info:
        chat_model("groq/llama-3.3-70b-versatile")
    assert info.value.variable == "GROQ_API_KEY"


def test_openai_compatible_needs_a_base_url_and_keeps_it_out_of_repr() -> None:
    with pytest.raises(ConfigurationError, match="base URL"):
        chat_model("openai-compatible/my-model")
    model = chat_model(
        "openai-compatible/my-model",
        api_key="sk-secret-123456789",
        base_url="http://127.0.0.1:1/v1",
    )
    assert isinstance(model, HttpChatModel)
    assert model.base_url == "http://127.0.0.1:1/v1"
    assert "sk-secret" not in repr(model)


def test_native_protocols_are_wired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    model = chat_model("bedrock/us.amazon.nova-micro-v1:0", api_key="token")
    assert isinstance(model, HttpChatModel)
    assert model.base_url == "https://bedrock-runtime.eu-west-3.amazonaws.com"
    assert model.protocol.name == "bedrock"
    assert chat_model("claude/claude-sonnet-4-5", api_key="k").provider == "anthropic"


def test_responses_api_uses_the_vendor_profile() -> None:
    model = chat_model("openai-responses/gpt-5", api_key="k")
    assert isinstance(model, HttpChatModel)
    assert model.provider == "openai"  # priced and keyed as OpenAI
    assert model.protocol.name == "openai-responses"
    for name in ("cohere", "mistral", "openrouter-responses", "deepseek-responses"):
        assert name in provider_names()


def test_gemini_native_and_vertex(monkeypatch: pytest.MonkeyPatch) -> None:
    model = chat_model("gemini/gemini-2.5-flash", api_key="k")
    assert isinstance(model, HttpChatModel)
    assert model.provider == "google"
    assert model.base_url == "https://generativelanguage.googleapis.com/v1beta"
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "my-project")
    monkeypatch.setenv("GOOGLE_VERTEX_TOKEN", "ya29.token")
    vertex = chat_model("google-vertex/gemini-2.5-pro")
    assert isinstance(vertex, HttpChatModel)
    assert "my-project" in vertex.base_url
    assert "ya29.token" not in repr(vertex)
