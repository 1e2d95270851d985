"""Proxies from the environment: the mounts computed from them, and HttpClient's routes.

Routing rules are checked through httpx's public ``mounts=`` with mock transports, so
no name is resolved; the client's own routes are checked against two loopback servers,
one acting as the proxy (it receives the absolute URL a proxied request carries).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from fluent_ai.http import HttpClient, aiter_sse_response
from fluent_ai.http.proxies import environment_proxies
from fluent_ai.types import errors
from tests.unit.http.loopback import Loopback, Reply, loopback_server

PROXY = "http://proxy.internal:3128"
VARIABLES = ("http", "https", "all", "no", "ftp", "travis_apt", "request_method")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        for spelling in (f"{name}_proxy", f"{name.upper()}_PROXY"):
            monkeypatch.delenv(spelling, raising=False)
    monkeypatch.delenv("REQUEST_METHOD", raising=False)


@pytest.fixture
def proxy() -> Iterator[Loopback]:
    with loopback_server() as loopback:
        yield loopback


def route(url: str) -> str:
    """Where an httpx client mounted with the environment's proxies sends ``url``."""

    def answer(name: str) -> httpx.MockTransport:
        return httpx.MockTransport(lambda request: httpx.Response(200, text=name))

    mounts: dict[str, httpx.BaseTransport | None] = {
        pattern: None if target is None else answer(target)
        for pattern, target in environment_proxies().items()
    }
    with httpx.Client(transport=answer("direct"), mounts=mounts) as client:
        return client.get(url).text


def test_each_scheme_gets_its_proxy_and_a_bare_host_gets_http(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "plain.internal:8080")
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("FTP_PROXY", "http://ftp-only.internal")
    monkeypatch.setenv("TRAVIS_APT_PROXY", "http://apt.internal")
    assert environment_proxies() == {
        "http://": "http://plain.internal:8080",
        "https://": PROXY,
    }
    assert route("http://api.vendor.test/v1") == "http://plain.internal:8080"
    assert route("https://api.vendor.test/v1") == PROXY


def test_all_proxy_covers_every_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", PROXY)
    assert route("http://a.test/") == PROXY
    assert route("https://b.test/") == PROXY


def test_no_proxy_star_turns_every_proxy_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", "example.com, *")
    assert environment_proxies() == {}
    assert route("https://api.vendor.test/") == "direct"


@pytest.mark.parametrize("entry", ["example.com", ".example.com", "*.example.com", "Example.COM"])
def test_a_domain_exempts_itself_and_its_subdomains_only(
    monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", f"other.test,{entry}")
    assert route("https://example.com/") == "direct"
    assert route("https://api.example.com/") == "direct"
    assert route("https://deep.api.example.com/") == "direct"
    assert route("https://notexample.com/") == PROXY
    assert route("https://example.com.evil.test/") == PROXY


@pytest.mark.parametrize(
    ("entry", "direct", "proxied"),
    [
        ("10.1.2.3", "http://10.1.2.3:8000/", "http://10.1.2.30/"),
        ("::1", "http://[::1]:8000/", "http://[::2]/"),
        ("[::1]", "http://[::1]/", "http://[::2]/"),
        ("localhost", "http://localhost:11434/", "http://localhost.evil.test/"),
        ("localhost:11434", "http://localhost:11434/", "http://localhost:8000/"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000/", "http://127.0.0.1:9000/"),
        ("http://internal.test", "http://internal.test/", "https://internal.test/"),
    ],
)
def test_addresses_localhost_ports_and_urls_match_exactly(
    monkeypatch: pytest.MonkeyPatch, entry: str, direct: str, proxied: str
) -> None:
    monkeypatch.setenv("ALL_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", entry)
    assert route(direct) == "direct"
    assert route(proxied) == PROXY


def test_an_address_block_is_skipped_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", "10.0.0.0/8,intranet.test")
    with caplog.at_level(logging.WARNING, logger="fluent_ai.http.proxies"):
        routes = environment_proxies()
    assert routes == {"https://": PROXY, "all://*intranet.test": None}
    assert "10.0.0.0/8" in caplog.text
    assert route("https://10.0.0.0/") == PROXY


async def test_the_client_sends_through_the_environments_proxy(
    server: Loopback, proxy: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
    proxy.reply(Reply(200, body=b"via proxy"))
    async with HttpClient(retry=None) as client:
        response = await client.request("GET", server.url("/v1/models"))
    assert response.content == b"via proxy"
    assert proxy.received[0].path == server.url("/v1/models")
    assert server.received == []


@pytest.mark.parametrize("entry", ["127.0.0.1", "localhost"])
async def test_no_proxy_hosts_are_reached_directly(
    server: Loopback, proxy: Loopback, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
    monkeypatch.setenv("NO_PROXY", entry)
    server.reply(Reply(200, body=b"direct"))
    url = server.url("/v1/models").replace("127.0.0.1", entry)
    async with HttpClient(retry=None) as client:
        response = await client.request("GET", url)
    assert response.content == b"direct"
    assert server.received[0].path == "/v1/models"
    assert proxy.received == []


async def test_a_stream_through_the_proxy_still_raises_typed_errors(
    proxy: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
    proxy.reply(Reply(200, chunks=[b"data: first\n\n"], cut=True))
    seen: list[str] = []

    async def read(client: HttpClient) -> None:
        async with client.stream("POST", "http://api.vendor.test/v1/chat") as response:
            async for event in aiter_sse_response(response):
                seen.append(event.data)

    async with HttpClient(retry=None) as client:
        with pytest.raises(errors.StreamInterruptedError, match="broke off"):
            await read(client)
    assert seen == ["first"]


def test_an_unusable_proxy_is_a_configuration_error_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "ftp://alice:hunter2@proxy.internal:2121")
    with pytest.raises(errors.ConfigurationError) as caught:
        HttpClient()
    text = str(caught.value)
    assert "hunter2" not in text
    assert "ftp://proxy.internal:2121" in text
    assert "alice" not in text
    assert "NO_PROXY" in text
