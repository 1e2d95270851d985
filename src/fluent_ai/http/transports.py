"""The transports an :class:`~fluent_ai.http.client.HttpClient` sends through.

Each route (direct, and one per proxy set in the environment) is a stack built only
from httpx's public parts: the network transport (``httpx.AsyncHTTPTransport``, with
its ``proxy=`` where one applies), the optional GET cache in front of it, and the
typed-error layer in front of both. httpx is given the stacks through ``transport=``
and ``mounts=``; a ready-made ``transport=`` makes httpx skip the environment's proxies,
which is why they are read here (:mod:`fluent_ai.http.proxies`) and mounted explicitly.

The direct route's network is chosen by :func:`network_transport`: asyncio's own
connections parsed by httptools (:mod:`fluent_ai.http.h1_transport`) for HTTP/1.1,
where they cost a fraction of httpx's per request, and httpx's own for HTTP/2, which
that transport does not speak, and for proxies, which httpx's transport reaches the way
httpx users expect (SOCKS included). ``FLUENT_AI_HTTP_TRANSPORT=httpx`` (or ``h1``)
forces one.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple, cast

import httpx

from fluent_ai.http._errors import TypedErrorTransport
from fluent_ai.http.cache import HttpCache
from fluent_ai.http.proxies import environment_proxies
from fluent_ai.types.errors import ConfigurationError

if TYPE_CHECKING:
    from fluent_ai.http.h1_transport import Http1Transport

Mounts = dict[str, httpx.AsyncBaseTransport | None]

TRANSPORT_VARIABLE = "FLUENT_AI_HTTP_TRANSPORT"
NETWORKS = ("h1", "httpx")


class Routes(NamedTuple):
    """Where an :class:`~fluent_ai.http.client.HttpClient`'s requests go."""

    direct: httpx.AsyncBaseTransport
    mounts: Mounts
    bare: Http1Transport | None
    """The direct route's HTTP/1.1 network when it is the whole route: no proxy in the
    environment, no cache, no HTTP/3 (:mod:`fluent_ai.http.direct` sends on it)."""


def routes(
    *,
    transport: httpx.AsyncBaseTransport | None,
    cache: HttpCache | None,
    http2: bool,
    limits: httpx.Limits,
    http3: bool = False,
) -> Routes:
    """The direct route and the proxy mounts, each with its layers in front.

    A given ``transport`` replaces the network and, as in httpx, the environment's
    proxies: it is the whole route (tests pass one). ``http3`` puts
    :class:`~fluent_ai.http.h3_route.Http3Route` over the direct network; proxied
    routes stay on TCP.
    """
    if transport is not None:
        return Routes(_layered(transport, cache), {}, None)
    network = network_transport(http2=http2, limits=limits)
    plain = cache is None and not http3 and not isinstance(network, httpx.AsyncHTTPTransport)
    if http3:
        from fluent_ai.http.h3_route import Http3Route

        network = Http3Route(network, keepalive_expiry=limits.keepalive_expiry)
    direct = _layered(network, cache)
    mounts: Mounts = {
        pattern: None if proxy is None else _layered(_proxied(proxy, http2, limits), cache)
        for pattern, proxy in environment_proxies().items()
    }
    bare = cast("Http1Transport", network) if plain and not mounts else None
    return Routes(direct, mounts, bare)


def network_transport(*, http2: bool, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    """The transport that carries direct requests; see the module docstring for the choice."""
    chosen = os.environ.get(TRANSPORT_VARIABLE, "").strip().lower()
    if chosen and chosen not in NETWORKS:
        raise ConfigurationError(
            f"{TRANSPORT_VARIABLE}={chosen!r} is not a transport: use one of {', '.join(NETWORKS)}"
        )
    if chosen == "httpx" or (not chosen and http2):
        return httpx.AsyncHTTPTransport(http2=http2, limits=limits)
    from fluent_ai.http.h1_transport import Http1Transport

    return Http1Transport(limits)


def _layered(network: httpx.AsyncBaseTransport, cache: HttpCache | None) -> TypedErrorTransport:
    return TypedErrorTransport(cache.wrap(network) if cache is not None else network)


def _proxied(proxy: str, http2: bool, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """A transport through ``proxy``; a proxy httpx cannot use is a configuration error.

    httpx's own message quotes the URL with its user name, so it is replaced by one
    that shows only the scheme, host and port.
    """
    try:
        return httpx.AsyncHTTPTransport(proxy=proxy, http2=http2, limits=limits)
    except ImportError as exc:
        reason = "a SOCKS proxy needs the socksio package: pip install 'httpx[socks]'"
        error: Exception = exc
    except (ValueError, httpx.InvalidURL) as exc:
        reason = "proxy URLs must start with http://, https://, socks5:// or socks5h://"
        error = exc
    raise ConfigurationError(
        f"cannot use the proxy {_shown(proxy)} set in the environment (HTTP_PROXY, "
        f"HTTPS_PROXY or ALL_PROXY): {reason}. Correct or unset the variable, or list "
        "the hosts to reach directly in NO_PROXY"
    ) from error


def _shown(proxy: str) -> str:
    """The proxy's scheme, host and port: never the user name or password it may carry."""
    try:
        url = httpx.URL(proxy)
    except httpx.InvalidURL:
        return "(an invalid URL)"
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}"
