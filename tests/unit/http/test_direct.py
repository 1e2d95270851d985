"""The common request goes straight to the HTTP/1.1 transport (:mod:`fluent_ai.http.direct`),
and says the same on the wire, and gives back the same response, as httpx's client would.

Every loopback test in this folder run with the ``h1`` network already takes this
path (retries, timeouts, typed errors, streams, decompression); these check what only
the shortcut could get wrong: the bytes sent, when it is taken, and the response's request.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fluent_ai.http import HttpCache, HttpClient, Timeouts
from fluent_ai.http._errors import HANDED_OVER
from fluent_ai.http.transports import TRANSPORT_VARIABLE
from tests.unit.http.loopback import Loopback, Received, Reply, loopback_server

BODY = {"model": "m", "messages": [{"role": "user", "content": "héllo 🌍"}], "n": 1.5}


def _forbid_httpx_client(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(*args: Any, **kwargs: Any) -> httpx.Response:
        raise AssertionError("the common request went through httpx's client")

    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)


async def _post(server: Loopback, **options: Any) -> Received:
    server.reply(Reply(200, body=b"{}"))
    async with HttpClient(headers={"x-client": "fluent"}, **options) as client:
        response = await client.request(
            "POST", server.url("/v1/chat"), json=BODY, headers={"authorization": "Bearer sk-x"}
        )
    assert response.status_code == 200
    return server.received[-1]


async def test_the_direct_request_sends_what_httpx_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    with loopback_server() as server:
        monkeypatch.setenv(TRANSPORT_VARIABLE, "httpx")
        through_httpx = await _post(server)
        monkeypatch.setenv(TRANSPORT_VARIABLE, "h1")
        with monkeypatch.context() as patched:
            _forbid_httpx_client(patched)
            direct = await _post(server)
    assert direct.method == through_httpx.method == "POST"
    assert direct.path == through_httpx.path == "/v1/chat"
    assert direct.body == through_httpx.body
    assert direct.headers == through_httpx.headers
    assert direct.headers["content-type"] == "application/json"
    assert direct.headers["x-client"] == "fluent"


async def test_a_content_type_given_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_httpx_client(monkeypatch)
    with loopback_server() as server:
        server.reply(Reply(200))
        async with HttpClient() as client:
            await client.request(
                "POST", server.url(), content="a=1", headers={"Content-Type": "text/plain"}
            )
    assert server.received[0].headers["content-type"] == "text/plain"
    assert server.received[0].body == b"a=1"


async def test_the_response_names_its_request_without_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forbid_httpx_client(monkeypatch)
    with loopback_server() as server:
        server.reply(Reply(404, body=b"missing"))
        async with HttpClient() as client:
            response = await client.request(
                "GET", server.url("/x?key=1"), headers={"authorization": "Bearer sk-x"}
            )
    assert isinstance(response, httpx.Response)
    assert response.request.method == "GET"
    assert response.request.url == server.url("/x?key=1")
    assert "authorization" not in response.request.headers
    with pytest.raises(httpx.HTTPStatusError):
        response.raise_for_status()


async def test_calls_alike_share_their_request_and_others_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forbid_httpx_client(monkeypatch)
    with loopback_server() as server:
        for _ in range(5):
            server.reply(Reply(200, body=b"{}"))
        async with HttpClient() as client:
            url = server.url("/v1/chat")
            first = await client.request("POST", url, json=BODY, provider="openai")
            again = await client.request("POST", url, json={"other": 1}, provider="openai")
            slower = await client.request(
                "POST", url, json=BODY, provider="openai", timeouts=Timeouts(read=1.0)
            )
            async with client.stream("POST", url, json=BODY, provider="openai") as streamed:
                await streamed.aread()
            async with client.stream("POST", url, json=BODY, provider="groq") as other:
                await other.aread()
    assert again.request is first.request  # the body and headers are not in it
    assert slower.request is not first.request
    assert slower.request.extensions["timeout"]["read"] == 1.0
    assert HANDED_OVER not in first.request.extensions
    assert streamed.request.extensions[HANDED_OVER] == {"provider": "openai"}
    assert other.request.extensions[HANDED_OVER] == {"provider": "groq"}


@pytest.mark.parametrize("reason", ["params", "cache"])
async def test_params_and_the_cache_keep_httpx_client(
    reason: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    sent: list[httpx.Request] = []
    send = httpx.AsyncClient.send

    async def counted(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> Any:
        sent.append(request)
        return await send(self, request, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "send", counted)
    cache = HttpCache(tmp_path / "cache") if reason == "cache" else None
    with loopback_server() as server:
        server.reply(Reply(200))
        async with HttpClient(cache=cache) as client:
            params = {"limit": 5} if reason == "params" else None
            await client.request("GET", server.url("/list"), params=params)
    assert len(sent) == 1


async def test_a_closed_client_refuses_as_httpx_does() -> None:
    with loopback_server() as server:
        client = HttpClient()
        await client.aclose()
        with pytest.raises(RuntimeError, match="client has been closed"):
            await client.request("GET", server.url())
