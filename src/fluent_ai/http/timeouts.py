"""How long to wait, and how many connections to keep: the presets every call starts from.

Four of the limits are httpx's own and apply to one attempt: ``connect`` (opening a
connection), ``read`` (the gap between two chunks of the response, not the whole body),
``write`` (the gap between two chunks of the request) and ``pool`` (waiting for a free
connection). ``total`` is ours: the deadline for a whole call, retries and the waits
between them included. It ends when :meth:`HttpClient.request
<fluent_ai.http.HttpClient.request>` returns the response with its body read, or when
:meth:`HttpClient.stream <fluent_ai.http.HttpClient.stream>` hands the response over
with its headers; from then on only ``read`` applies, since a long answer streamed
steadily must not be cut off by a clock. ``None`` means no limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Timeouts in seconds; see the module docstring for what each one bounds."""

    connect: float | None = 10.0
    read: float | None = 120.0
    write: float | None = 30.0
    pool: float | None = 10.0
    total: float | None = 600.0

    def to_httpx(self) -> httpx.Timeout:
        """The per-attempt part, in the form httpx takes (``total`` is enforced by the client)."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


AI_TIMEOUTS = Timeouts(connect=10.0, read=120.0, write=30.0, pool=10.0, total=600.0)
"""A whole answer in one response: a slow model may think for two minutes before replying."""

STREAM_TIMEOUTS = Timeouts(connect=10.0, read=300.0, write=30.0, pool=10.0, total=None)
"""A streamed answer: five quiet minutes between chunks breaks it; its length never does."""

POOL_LIMITS = httpx.Limits(
    max_connections=100, max_keepalive_connections=100, keepalive_expiry=30.0
)
"""One pool shared by every provider: enough for parallel agents, bounded for servers.

Every connection that may be open may also be kept idle (httpx keeps 20 by default;
aiohttp, like this, all it may open). With fewer, a steady load of more calls at once
than that closes the extra connections as each call ends and opens new ones for the
next: a gateway worker answering 32 callers opened about 160 new connections a second
to one upstream, each a TCP and, to a real vendor, a TLS handshake. Idle ones still
close after ``keepalive_expiry``."""
