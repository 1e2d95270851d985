"""HTTP/3 where a server offered it, TCP everywhere else: the direct route with ``http3``.

:class:`Http3Route` sits where the network transport sits (under the cache and the
typed-error layer, so both behave as over TCP). Every request to an ``https://`` origin
goes over TCP until that origin answers with ``Alt-Svc: h3=...``; from then on, for as
long as the header's ``ma`` allows, it goes over QUIC
(:mod:`fluent_ai.http.h3_transport`). When QUIC cannot be reached (UDP blocked, nothing
listening on the port, a handshake that does not finish within the connect limit, or
at most :data:`HANDSHAKE_LIMIT`), the same request is sent over TCP at once, so the
caller sees no error, and the origin stays on TCP for a while
(:data:`~fluent_ai.http.altsvc.BROKEN_FOR`). A connection that breaks after the request
went out is not that: the request may have reached the server, so the error stands
(``httpx.RemoteProtocolError``, which the client's retry policy retries, over a new
QUIC connection).

The QUIC library (aioquic, the ``http3`` extra) is imported by the first request that
goes over HTTP/3, never by importing :mod:`fluent_ai.http`.
"""

from __future__ import annotations

import logging
import os
from importlib.util import find_spec
from typing import TYPE_CHECKING

import httpx

from fluent_ai.http.altsvc import AltSvcMemory, Origin
from fluent_ai.types.errors import ConfigurationError

if TYPE_CHECKING:
    from fluent_ai.http.h3_transport import H3Transport

logger = logging.getLogger(__name__)

HTTP3_VARIABLE = "FLUENT_AI_HTTP3"
HANDSHAKE_LIMIT = 3.0
"""Seconds a QUIC handshake may take before the request goes over TCP instead.

A path that drops UDP is silent, not refused, so this bounds what the first request
to such a host pays; the request's own ``connect`` limit applies when it is shorter.
"""

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class QuicUnavailable(httpx.ConnectError):
    """No QUIC connection could be made; nothing of the request was sent."""


def http3_wanted(flag: bool | None) -> bool:
    """``flag``, or ``FLUENT_AI_HTTP3`` when it is ``None``; the extra must be installed."""
    if flag is None:
        text = os.environ.get(HTTP3_VARIABLE, "").strip().lower()
        if text not in _TRUE + _FALSE:
            raise ConfigurationError(
                f"{HTTP3_VARIABLE}={text!r} is not a switch: set it to 1 to use HTTP/3 "
                "where servers offer it, or 0 (or unset it) not to"
            )
        flag = text in _TRUE
    if flag and find_spec("aioquic") is None:
        raise ConfigurationError(
            "HTTP/3 needs the aioquic package: pip install 'fluent-ai[http3]' "
            f"(or drop http3=True / unset {HTTP3_VARIABLE})"
        )
    return flag


class Http3Route(httpx.AsyncBaseTransport):
    """``tcp`` for every request, except to origins whose HTTP/3 offer is known and working."""

    def __init__(
        self,
        tcp: httpx.AsyncBaseTransport,
        *,
        keepalive_expiry: float | None = None,
        memory: AltSvcMemory | None = None,
    ) -> None:
        self._tcp = tcp
        self._keepalive_expiry = keepalive_expiry
        self.memory = memory if memory is not None else AltSvcMemory()
        self._quic: H3Transport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = _origin(request.url)
        if origin is None:
            return await self._tcp.handle_async_request(request)
        endpoint = self.memory.endpoint(origin)
        if endpoint is not None:
            try:
                response = await self._h3().send(request, *endpoint)
            except QuicUnavailable as error:
                logger.info("HTTP/3 to %s:%d failed, using TCP: %s", *origin, error)
                self.memory.mark_broken(origin)
            else:
                self.memory.learn(origin, response.headers.get_list("alt-svc"))
                return response
        response = await self._tcp.handle_async_request(request)
        self.memory.learn(origin, response.headers.get_list("alt-svc"))
        return response

    async def aclose(self) -> None:
        try:
            if self._quic is not None:
                await self._quic.aclose()
        finally:
            await self._tcp.aclose()

    def _h3(self) -> H3Transport:
        if self._quic is None:
            # Imported here: only a program that reaches an HTTP/3 server loads aioquic.
            from fluent_ai.http.h3_transport import H3Transport

            self._quic = H3Transport(
                handshake_limit=HANDSHAKE_LIMIT, keepalive_expiry=self._keepalive_expiry
            )
        return self._quic


def _origin(url: httpx.URL) -> Origin | None:
    """``(host, port)`` of an ``https://`` URL; HTTP/3 needs TLS, so others have none."""
    if url.scheme != "https":
        return None
    return url.host, url.port or 443
