"""Kept-alive HTTP/1.1 connections, per origin, within httpx's pool limits.

``max_connections`` bounds the connections open at once (a request waits for one up
to its ``pool`` limit), ``max_keepalive_connections`` the idle ones kept, and
``keepalive_expiry`` how long one may sit idle before it is closed rather than
reused. The most recently used idle connection is taken first: it is the one least
likely to have been closed by the server meanwhile.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque

import httpx

from fluent_ai.http.h1_connection import Connection, ConnectionFailure

Origin = tuple[str, str, int]
"""Scheme, host and port."""

HAPPY_EYEBALLS_DELAY = 0.25
"""Seconds before a second address of a host is tried alongside the first (RFC 8305)."""


class ConnectionPool:
    """The connections of one transport, on the event loop that opened them.

    A connection belongs to its loop. When a request comes from another loop (a client
    used by two ``asyncio.run`` calls, one after the other), the previous loop's
    connections are forgotten, not reused: that loop may be closed, and closing its
    sockets from here would need it running.
    """

    def __init__(self, limits: httpx.Limits) -> None:
        self._max = limits.max_connections
        self._max_idle = limits.max_keepalive_connections
        self._expiry = limits.keepalive_expiry
        self._idle: dict[Origin, list[Connection]] = {}
        self._open: set[Connection] = set()
        self._opening = 0
        """Connections being opened: they count against ``max_connections`` already."""
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._tls: ssl.SSLContext | None = None
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None

    async def acquire(
        self, origin: Origin, connect: float | None, pool: float | None
    ) -> tuple[Connection, bool]:
        """A connection to ``origin`` and whether it was reused (kept alive) or is new."""
        if self._closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop = loop
            self._idle, self._open, self._waiters = {}, set(), deque()
            self._opening = 0
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            fresh = self._expiry is None or loop.time() - connection.idle_since < self._expiry
            if fresh and not connection.lost:
                return connection, True
            connection.close()
        while self._max is not None and len(self._open) + self._opening >= self._max:
            await self._wait_for_room(pool)
            idle = self._idle.get(origin)
            if idle:
                return idle.pop(), True
        return await self._connect(origin, connect), False

    def release(self, connection: Connection, origin: Origin) -> None:
        """Take back a connection whose exchange is over; it is kept if it can serve again."""
        if connection.finish() and not self._closed:
            idle_count = sum(len(idle) for idle in self._idle.values())
            if self._max_idle is None or idle_count < self._max_idle:
                connection.idle_since = asyncio.get_running_loop().time()
                self._idle.setdefault(origin, []).append(connection)
                self._wake()
                return
            connection.close()

    async def aclose(self) -> None:
        self._closed = True
        for connection in list(self._open):
            connection.close()
        self._idle.clear()

    def _lost(self, connection: Connection) -> None:
        self._open.discard(connection)
        for idle in self._idle.values():
            if connection in idle:
                idle.remove(connection)
        self._wake()

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def _wait_for_room(self, limit: float | None) -> None:
        loop = asyncio.get_running_loop()
        # An idle connection of another origin gives its place to this request.
        for idle in self._idle.values():
            if idle:
                idle.pop(0).close()
                break
        waiter = loop.create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(limit):
                await waiter
        except TimeoutError:
            raise ConnectionFailure(
                "timed out waiting for a free connection in the pool", "pool", timeout=True
            ) from None
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    async def _connect(self, origin: Origin, limit: float | None) -> Connection:
        scheme, host, port = origin
        tls = self._tls_context() if scheme == "https" else None
        loop = asyncio.get_running_loop()
        name = host if tls is not None else None
        self._opening += 1
        try:
            async with asyncio.timeout(limit):
                if isinstance(loop, asyncio.BaseEventLoop):  # uvloop has no Happy Eyeballs
                    _, connection = await loop.create_connection(
                        self._new,
                        host,
                        port,
                        ssl=tls,
                        server_hostname=name,
                        happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY,
                    )
                else:
                    _, connection = await loop.create_connection(
                        self._new, host, port, ssl=tls, server_hostname=name
                    )
        except TimeoutError:
            raise ConnectionFailure(
                f"timed out connecting to {host}:{port}", "connect", timeout=True
            ) from None
        except OSError as error:  # refused, unreachable, no such host, a TLS failure
            raise ConnectionFailure(str(error) or type(error).__name__, "connect") from error
        finally:
            self._opening -= 1
            self._wake()  # a failed open gives its place back; a waiter checks again
        self._open.add(connection)
        return connection

    def _new(self) -> Connection:
        return Connection(self._lost)

    def _tls_context(self) -> ssl.SSLContext:
        """httpx's certificate store (``SSL_CERT_FILE`` honoured), offering HTTP/1.1 only."""
        if self._tls is None:
            self._tls = httpx.create_ssl_context()
            self._tls.set_alpn_protocols(["http/1.1"])
        return self._tls
