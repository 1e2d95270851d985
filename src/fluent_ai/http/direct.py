"""The common request sent straight to aiohttp, past httpx's client layer.

Why: on a plain HTTP/1.1 request, httpx's client above the transport (merging the URL
with the client's, building the request and its headers, the cookie jar, auth and
redirect steps, and the response built a second time by the typed-error layer) costs
about 0.2 ms, as much as the whole round trip to a server on loopback, and a gateway
pays it on every request (``benchmarks/run.py`` measures it). The common request has
none of that to do: no proxy, no cache, no HTTP/2 or HTTP/3, no query ``params``. For
it :class:`~fluent_ai.http.client.HttpClient` builds the headers and body here and
hands them to the aiohttp transport's :meth:`~AiohttpTransport.send`; everything else
goes through ``httpx.AsyncClient`` as before.

What the caller gets is the same: an ``httpx.Response`` (made with httpx's public
constructor, its ``request`` the method, URL and limits of the call), decoded by its
``Content-Encoding`` as httpx decodes, the same httpx errors for the retry policy and
the typed errors, and the same bytes on the wire: httpx's default headers and the
client's, then the call's, and JSON encoded as httpx encodes it. Two things differ:
``response.request`` carries no headers or body (keys stay out of it), and cookies a
server sets are not sent back (model APIs authenticate by header; the cookies they set
are a CDN's).
"""

from __future__ import annotations

import json as json_module
from collections.abc import Mapping
from typing import Any

import httpx
from multidict import CIMultiDict
from yarl import URL

from fluent_ai.http._errors import HANDED_OVER
from fluent_ai.http.aiohttp_transport import AiohttpTransport
from fluent_ai.http.timeouts import Timeouts

KNOWN_URLS = 256
"""URLs kept parsed; a model calls one or two, a gateway a few per provider."""


class DirectRoute:
    """Requests from one :class:`HttpClient` with ``headers``, sent on ``network``."""

    def __init__(self, network: AiohttpTransport, headers: httpx.Headers) -> None:
        self._network = network
        self._headers = CIMultiDict(headers.multi_items())
        self._urls: dict[str, tuple[httpx.URL, URL]] = {}

    def call(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        json: Any,
        content: bytes | str | None,
        timeouts: Timeouts,
        extensions: dict[str, Any] | None,
    ) -> DirectCall | None:
        """The call ready to send, or ``None`` for a URL this route leaves to httpx.

        Those are URLs httpx rejects (it says why) and those that are not absolute
        ``http`` or ``https`` ones; each URL is parsed once, by httpx.
        """
        parsed = self._urls.get(url) or self._parse(url)
        if parsed is None:
            return None
        sent = self._headers.copy()
        if headers:
            sent.update(headers)
        if content is not None or json is None:  # content wins over json, as in httpx
            body = content.encode("utf-8") if isinstance(content, str) else content
        else:
            body = json_module.dumps(
                json, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode("utf-8")
            sent.setdefault("Content-Type", "application/json")
        limits = {"timeout": timeouts.to_httpx().as_dict(), **(extensions or {})}
        request = httpx.Request(method, parsed[0], extensions=limits)
        return DirectCall(self._network, request, parsed[1], sent, body)

    def _parse(self, url: str) -> tuple[httpx.URL, URL] | None:
        try:
            checked = httpx.URL(url)
        except httpx.InvalidURL:
            return None
        if checked.scheme not in ("http", "https") or not checked.host:
            return None
        if len(self._urls) >= KNOWN_URLS:
            self._urls.clear()
        parsed = self._urls[url] = (checked, URL(str(checked), encoded=True))
        return parsed


class DirectCall:
    """One call's request; :meth:`send` is one attempt."""

    def __init__(
        self,
        network: AiohttpTransport,
        request: httpx.Request,
        url: URL,
        headers: CIMultiDict[str],
        body: bytes | None,
    ) -> None:
        self.request = request
        self._network = network
        self._url = url
        self._headers = headers
        self._body = body
        marked = request.extensions.get(HANDED_OVER)
        self._typed = isinstance(marked, dict)
        self._provider = marked.get("provider") if isinstance(marked, dict) else None

    async def send(self, stream: bool) -> httpx.Response:
        """The response, with its body read unless ``stream``, as ``AsyncClient.send``."""
        response = await self._network.send(
            self.request,
            self._url,
            self._headers,
            self._body,
            typed=self._typed,
            provider=self._provider,
        )
        if not stream:
            try:
                await response.aread()
            except BaseException:
                await response.aclose()
                raise
        return response
