"""Where requests go: one resolution for chat and embeddings, and OLLAMA_HOST as Ollama reads it."""

from __future__ import annotations

import pytest

from fluent_ai.embeddings.providers import REMOTE
from fluent_ai.providers.base import ProviderProfile
from fluent_ai.providers.endpoints import base_url_for, server_url
from fluent_ai.providers.ollama import OLLAMA_NATIVE
from fluent_ai.providers.openai import PROFILES
from fluent_ai.types import ConfigurationError

OPENAI = PROFILES["openai"]


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("", "http://127.0.0.1:11434"),
        ("1.2.3.4", "http://1.2.3.4:11434"),
        (":56789", "http://127.0.0.1:56789"),
        ("1.2.3.4:56789", "http://1.2.3.4:56789"),
        ("http://1.2.3.4", "http://1.2.3.4:80"),
        ("https://1.2.3.4", "https://1.2.3.4:443"),
        ("https://1.2.3.4:56789", "https://1.2.3.4:56789"),
        ("example.com", "http://example.com:11434"),
        ("example.com:56789/", "http://example.com:56789"),
        ("https://example.com:56789/path/", "https://example.com:56789/path"),
        ("0.0.0.0", "http://127.0.0.1:11434"),  # "listen everywhere" is here, to a client
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("[::]", "http://[::1]:11434"),
        ("[0001:002:003:0004::1]:56789", "http://[0001:002:003:0004::1]:56789"),
        ("http://[0001:002:003:0004::1]", "http://[0001:002:003:0004::1]:80"),
    ],
)
def test_ollama_host_is_read_as_ollamas_own_tools_read_it(host: str, url: str) -> None:
    assert server_url(host, default_port=11434) == url


@pytest.mark.parametrize("host", ["ftp://box:21", "box:port", "box:99999", "http://[::1"])
def test_a_host_that_names_no_server_says_which_variable(host: str) -> None:
    with pytest.raises(ConfigurationError, match="OLLAMA_HOST"):
        server_url(host, default_port=11434)


def test_native_precedence_explicit_then_its_url_then_ollama_host_then_default() -> None:
    env = {"OLLAMA_NATIVE_BASE_URL": "http://native:1/", "OLLAMA_HOST": "box:2"}
    assert base_url_for(OLLAMA_NATIVE, "http://given:3/", environ=env) == "http://given:3"
    assert base_url_for(OLLAMA_NATIVE, environ=env) == "http://native:1"
    assert base_url_for(OLLAMA_NATIVE, environ={"OLLAMA_HOST": "box:2"}) == "http://box:2"
    assert base_url_for(OLLAMA_NATIVE, environ={"OLLAMA_HOST": "  "}) == "http://localhost:11434"
    assert base_url_for(OLLAMA_NATIVE, environ={}) == "http://localhost:11434"


def test_the_openai_compatible_ollama_keeps_its_v1_path() -> None:
    ollama = PROFILES["ollama"]
    assert base_url_for(ollama, environ={"OLLAMA_HOST": "0.0.0.0"}) == "http://127.0.0.1:11434/v1"
    assert base_url_for(ollama, environ={"OLLAMA_HOST": "https://gpu.lan"}) == (
        "https://gpu.lan:443/v1"
    )
    assert base_url_for(ollama, environ={"OLLAMA_BASE_URL": "http://x/v1"}) == "http://x/v1"


def test_ollama_embeddings_follow_the_native_variables() -> None:
    profile = REMOTE["ollama"][0]
    assert base_url_for(profile, environ={"OLLAMA_HOST": "box"}) == "http://box:11434"
    native = {"OLLAMA_NATIVE_BASE_URL": "http://n:1", "OLLAMA_BASE_URL": "http://n:1/v1"}
    assert base_url_for(profile, environ=native) == "http://n:1"


@pytest.mark.parametrize("name", sorted(set(REMOTE) - {"ollama"}))
def test_each_embedding_vendor_reads_the_variable_its_chat_api_reads(name: str) -> None:
    profile = REMOTE[name][0]
    chat = {"gemini": "GOOGLE_BASE_URL"}.get(name, f"{name.upper()}_BASE_URL")
    assert profile.base_url_env == chat
    assert base_url_for(profile, environ={chat: "http://proxy/v9/"}) == "http://proxy/v9"


def test_a_profile_without_a_host_variable_ignores_ollama_host() -> None:
    assert base_url_for(OPENAI, environ={"OLLAMA_HOST": "box"}) == "https://api.openai.com/v1"
    custom = ProviderProfile("acme-ai", "https://acme.test/api/", None)
    assert base_url_for(custom, environ={"ACME_AI_BASE_URL": "http://a/"}) == "http://a"
