"""What servers said about HTTP/3 (``Alt-Svc``), and which hosts failed to deliver it.

A server offers HTTP/3 by answering an ordinary request with ``Alt-Svc: h3=":443";
ma=86400`` (RFC 7838, RFC 9114 §3.1.1): "for the next ``ma`` seconds, this origin can
also be reached over QUIC at port 443". :class:`AltSvcMemory` keeps that offer per
origin, and a failed attempt to use it (UDP blocked, nothing listening, a handshake
that never completes) for :data:`BROKEN_FOR` seconds, during which the origin is
reached over TCP again, as browsers do.

Nothing here touches the network or the QUIC library; :mod:`fluent_ai.http.h3_route`
asks this memory where to send each request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

H3 = "h3"
"""The ALPN token of HTTP/3 (RFC 9114); drafts (``h3-29``) are not spoken."""

DEFAULT_MAX_AGE = 86400.0
"""RFC 7838 §3.1: an alternative without ``ma`` is fresh for 24 hours."""

BROKEN_FOR = 300.0
"""Seconds an origin whose QUIC endpoint failed is reached over TCP only."""

Origin = tuple[str, int]
"""``(host, port)`` of an ``https://`` URL."""


@dataclass(frozen=True, slots=True)
class Alternative:
    """One ``protocol="host:port"; ma=N`` entry of an ``Alt-Svc`` header."""

    protocol: str
    host: str
    """Empty when the header names only a port: the origin's own host."""
    port: int
    max_age: float


def parse_alt_svc(values: Iterable[str]) -> list[Alternative] | None:
    """The alternatives of one response's ``Alt-Svc`` headers, in the server's order.

    ``None`` means ``clear`` (forget every alternative). Entries that do not parse are
    skipped, as RFC 7838 asks: one odd entry must not hide the others.
    """
    found: list[Alternative] = []
    for value in values:
        for entry in _split(value, ","):
            text = entry.strip()
            if text.lower() == "clear":
                return None
            alternative = _alternative(text)
            if alternative is not None:
                found.append(alternative)
    return found


class AltSvcMemory:
    """Per origin: the HTTP/3 endpoint it advertised, until when, and whether it failed.

    ``clock`` gives seconds (monotonic); it is a parameter so the expiry rules can be
    checked without waiting.
    """

    def __init__(
        self, *, broken_for: float = BROKEN_FOR, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._broken_for = broken_for
        self._clock = clock
        self._endpoints: dict[Origin, tuple[str, int, float]] = {}
        self._broken: dict[Origin, float] = {}

    def endpoint(self, origin: Origin) -> tuple[str, int] | None:
        """Where to reach ``origin`` over HTTP/3 now, or ``None`` to use TCP."""
        now = self._clock()
        until = self._broken.get(origin)
        if until is not None:
            if now < until:
                return None
            del self._broken[origin]
        known = self._endpoints.get(origin)
        if known is None:
            return None
        host, port, expires = known
        if now >= expires:
            del self._endpoints[origin]
            return None
        return host or origin[0], port

    def learn(self, origin: Origin, values: Iterable[str]) -> None:
        """Take in a response's ``Alt-Svc`` headers; a response without any changes nothing.

        A header replaces what the origin advertised before (RFC 7838 §3.1), so one that
        no longer lists ``h3`` withdraws the offer.
        """
        values = list(values)
        if not values:
            return
        alternatives = parse_alt_svc(values)
        h3 = next((a for a in alternatives or () if a.protocol == H3), None)
        if h3 is None:
            self._endpoints.pop(origin, None)
            return
        self._endpoints[origin] = (h3.host, h3.port, self._clock() + h3.max_age)

    def mark_broken(self, origin: Origin) -> None:
        """``origin``'s QUIC endpoint failed: use TCP for it for a while."""
        self._broken[origin] = self._clock() + self._broken_for

    def is_broken(self, origin: Origin) -> bool:
        until = self._broken.get(origin)
        return until is not None and self._clock() < until


def _alternative(text: str) -> Alternative | None:
    head, *parameters = _split(text, ";")
    protocol, equals, authority = head.partition("=")
    authority = authority.strip()
    if not equals or len(authority) < 2 or authority[0] != '"' or authority[-1] != '"':
        return None
    host, colon, port_text = authority[1:-1].rpartition(":")
    if not colon or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    max_age = DEFAULT_MAX_AGE
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "ma":
            digits = value.strip().strip('"')
            if not digits.isdigit():
                return None
            max_age = float(digits)
    host = host.strip("[]")  # an IPv6 literal is written in brackets
    return Alternative(protocol.strip().lower(), host, int(port_text), max_age)


def _split(text: str, separator: str) -> list[str]:
    """``text`` cut at ``separator``, except inside double quotes."""
    parts, start, quoted = [], 0, False
    for index, character in enumerate(text):
        if character == '"':
            quoted = not quoted
        elif character == separator and not quoted:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts
