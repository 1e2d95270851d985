"""The common request sent straight to the HTTP/1.1 transport, past httpx's client layer.

Why: on a plain HTTP/1.1 request, httpx's client above the transport (merging the URL
with the client's, building the request and its headers, the cookie jar, auth and
redirect steps, and the response built a second time by the typed-error layer) costs
about 0.2 ms, as much as the whole round trip to a server on loopback, and a gateway
pays it on every request (``benchmarks/run.py`` measures it). The common request has
none of that to do: no proxy, no cache, no HTTP/2 or HTTP/3, no query ``params``. For
it :class:`~fluent_ai.http.client.HttpClient` builds the headers and body here and
hands them to :meth:`~fluent_ai.http.h1_transport.Http1Transport.send`; everything else
goes through ``httpx.AsyncClient`` as before.

What the caller gets is the same: an ``httpx.Response`` (made with httpx's public
constructor, its ``request`` the method, URL and limits of the call), decoded by its
``Content-Encoding`` as httpx decodes, the same httpx errors for the retry policy and
the typed errors, and the same bytes on the wire: httpx's default headers and the
client's, then the call's, and the JSON body the client writes on httpx's path too
(:mod:`fluent_ai.http.json_codec`). Two things differ: ``response.request`` carries no
headers or body (keys stay out of it) and is shared by the calls with the same method,
URL, limits and provider, and cookies a server sets are not sent back (model APIs
authenticate by header; the cookies they set are a CDN's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from fluent_ai.http import json_codec
from fluent_ai.http._errors import HANDED_OVER
from fluent_ai.http.h1_transport import Http1Transport
from fluent_ai.http.timeouts import Timeouts

KNOWN_URLS = 256
"""URLs kept parsed; a model calls one or two, a gateway a few per provider."""

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
"""Methods httpx sends ``Content-Length: 0`` for when they carry no body."""

Headers = dict[bytes, list[tuple[bytes, bytes]]]
"""Headers by lower-case name, each with its sent name and value as given."""
RequestKey = tuple[str, str, Timeouts, bool, str | None]
"""Method, URL, limits, whether the body is handed over to a stream, and its provider."""


def _request_key(
    method: str, url: str, timeouts: Timeouts, extensions: dict[str, Any] | None
) -> RequestKey | None:
    """What tells one call's httpx request from another's, or ``None`` for extensions
    other than the stream's hand-over (those requests are not shared)."""
    if extensions is None:
        return (method, url, timeouts, False, None)
    handover = extensions.get(HANDED_OVER)
    if extensions.keys() == {HANDED_OVER} and isinstance(handover, dict):
        provider = handover.get("provider")
        if handover.keys() <= {"provider"} and (provider is None or isinstance(provider, str)):
            return (method, url, timeouts, True, provider)
    return None


class DirectRoute:
    """Requests from one :class:`HttpClient` with ``headers``, sent on ``network``."""

    def __init__(self, network: Http1Transport, headers: httpx.Headers) -> None:
        self._network = network
        self._headers: Headers = {}
        for name, value in headers.raw:
            self._headers.setdefault(name.lower(), []).append((name, value))
        self._urls: dict[str, httpx.URL] = {}
        self._requests: dict[RequestKey, httpx.Request] = {}

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
        ``http`` or ``https`` ones; each URL is parsed once, by httpx. The headers come
        out in httpx's order: ``Host``, the client's with the call's replacing them by
        name, then the ``Content-Length`` and ``Content-Type`` of the body.
        """
        parsed = self._urls.get(url) or self._parse(url)
        if parsed is None:
            return None
        sent = self._headers.copy()
        if headers:
            for name, value in headers.items():
                raw = name.encode("ascii")
                sent[raw.lower()] = [(raw, value.encode("ascii"))]
        content_type = None
        if content is not None or json is None:  # content wins over json, as in httpx
            body = content.encode("utf-8") if isinstance(content, str) else content
        else:
            body = json_codec.dumps(json)
            content_type = b"application/json"
        lines = [] if b"host" in sent else [(b"Host", parsed.netloc)]
        sized = b"content-length" in sent
        if not body and not sized and method in _WITH_BODY:
            lines.append((b"Content-Length", b"0"))
        for pairs in sent.values():
            lines += pairs
        if body and not sized:
            lines.append((b"Content-Length", b"%d" % len(body)))
        if content_type is not None and b"content-type" not in sent:
            lines.append((b"Content-Type", content_type))
        return DirectCall(
            self._network,
            self._request(method, url, parsed, timeouts, extensions),
            lines,
            body or None,
        )

    def _request(
        self,
        method: str,
        url: str,
        parsed: httpx.URL,
        timeouts: Timeouts,
        extensions: dict[str, Any] | None,
    ) -> httpx.Request:
        """The httpx request the response and errors refer to: one per method, URL,
        limits and hand-over, made once (making one costs about 7 µs, a tenth of what
        the client adds to a request) and shared by the calls alike, which only read it."""
        key = _request_key(method, url, timeouts, extensions)
        request = self._requests.get(key) if key is not None else None
        if request is None:
            limits = {"timeout": timeouts.to_httpx().as_dict(), **(extensions or {})}
            request = httpx.Request(method, parsed, extensions=limits)
            if key is not None:
                if len(self._requests) >= KNOWN_URLS:
                    self._requests.clear()
                self._requests[key] = request
        return request

    def _parse(self, url: str) -> httpx.URL | None:
        try:
            checked = httpx.URL(url)
        except httpx.InvalidURL:
            return None
        if checked.scheme not in ("http", "https") or not checked.host:
            return None
        if len(self._urls) >= KNOWN_URLS:
            self._urls.clear()
        self._urls[url] = checked
        return checked


class DirectCall:
    """One call's request; :meth:`send` is one attempt."""

    def __init__(
        self,
        network: Http1Transport,
        request: httpx.Request,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
    ) -> None:
        self.request = request
        self._network = network
        self._headers = headers
        self._body = body
        marked = request.extensions.get(HANDED_OVER)
        self._typed = isinstance(marked, dict)
        self._provider = marked.get("provider") if isinstance(marked, dict) else None

    async def send(self, stream: bool) -> httpx.Response:
        """The response, with its body read unless ``stream``, as ``AsyncClient.send``."""
        response = await self._network.send(
            self.request,
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
