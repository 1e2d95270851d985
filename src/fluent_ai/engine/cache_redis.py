"""The shared response store: answers in Redis, for every process and machine that asks.

Several gateway processes (or machines) behind one load balancer should answer a
repeated question once, not once each. Entries are Redis hashes that Redis itself
expires (``PEXPIRE``), so every client agrees on what has expired; a sorted set ranks
the entries by last use, and a write beyond ``max_entries`` evicts the least recently
used, all in one Lua script so that concurrent writers never overshoot the bound.
Answers are stored as the JSON of :mod:`fluent_ai.engine.event_codec`. A standalone
server (or a single-primary setup) is assumed: the eviction script touches keys it is
not given, which Redis Cluster forbids.

A server that cannot be reached raises :class:`~fluent_ai.engine.cache_store.CacheStoreError`
naming the host and port, never the password in the URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fluent_ai.engine.cache_store import CacheEntry, CacheStoreError
from fluent_ai.engine.event_codec import decode_events, encode_events
from fluent_ai.types import ConfigurationError, StreamEvent

if TYPE_CHECKING:
    from redis.asyncio import Redis

_SET = """
redis.call('HSET', KEYS[1], 'events', ARGV[1], 'stored_at', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
else
  redis.call('PERSIST', KEYS[1])
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  for _, member in ipairs(old) do redis.call('DEL', ARGV[6] .. member) end
  redis.call('ZREM', KEYS[2], unpack(old))
end
return over
"""

_GET = """
local found = redis.call('HMGET', KEYS[1], 'events', 'stored_at')
if not found[1] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return false
end
redis.call('ZADD', KEYS[2], 'XX', ARGV[2], ARGV[1])
return found
"""


def _where(url: str) -> str:
    """The server's host, port and database, without any user name or password."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or 'localhost'}:{parts.port or 6379}{parts.path}"


class RedisStore:
    """At most ``max_entries`` answers under ``prefix`` in the Redis server at ``url``.

    ``client`` is an open ``redis.asyncio.Redis`` to use instead (it stays its owner's to
    close); otherwise the store opens one from ``url`` on first use and closes it in
    :meth:`aclose`. ``clock`` stamps entries and their use (Redis does the expiry).
    """

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "fluent-ai:cache:",
        max_entries: int = 100_000,
        client: Redis | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_entries < 1:
            raise ConfigurationError(
                f"RedisStore(max_entries={max_entries}) keeps nothing; pass 1 or more"
            )
        self.url = url
        self.prefix = prefix
        self.max_entries = max_entries
        self._client = client
        self._owns_client = client is None
        self._clock = clock
        self._lru = prefix + "lru"

    def __repr__(self) -> str:
        return f"RedisStore({_where(self.url)!r}, prefix={self.prefix!r})"

    def _redis(self) -> Redis:
        if self._client is None:
            try:
                from redis.asyncio import Redis
            except ImportError as exc:
                raise ConfigurationError(
                    "RedisStore needs the redis package: pip install 'fluent-ai[redis]'"
                ) from exc
            self._client = Redis.from_url(self.url)
        return self._client

    async def _call(self, script: str, keys: list[str], args: list[Any]) -> Any:
        from redis.exceptions import RedisError

        client = self._redis()
        try:
            return await client.eval(script, len(keys), *keys, *args)
        except RedisError as exc:
            raise CacheStoreError(
                f"the response cache at {_where(self.url)} failed: {type(exc).__name__}: "
                f"{exc}; check that redis-server is running there, or use another store",
                retryable=True,
            ) from exc

    async def get(self, key: str) -> CacheEntry | None:
        found = await self._call(_GET, [self.prefix + key, self._lru], [key, self._clock()])
        if not found:
            return None
        events, stored_at = found
        return CacheEntry(tuple(decode_events(events)), float(stored_at))

    async def set(self, key: str, events: tuple[StreamEvent, ...], ttl: float | None) -> None:
        expire_ms = "" if ttl is None else str(max(1, round(ttl * 1000)))
        args = [encode_events(events), self._clock(), expire_ms, self.max_entries, key, self.prefix]
        await self._call(_SET, [self.prefix + key, self._lru], args)

    async def delete(self, key: str) -> None:
        script = "redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[1])"
        await self._call(script, [self.prefix + key, self._lru], [key])

    async def clear(self) -> None:
        script = """
        local members = redis.call('ZRANGE', KEYS[1], 0, -1)
        for _, member in ipairs(members) do redis.call('DEL', ARGV[1] .. member) end
        redis.call('DEL', KEYS[1])
        """
        await self._call(script, [self._lru], [self.prefix])

    async def size(self) -> int:
        return int(await self._call("return redis.call('ZCARD', KEYS[1])", [self._lru], []))

    async def aclose(self) -> None:
        """Close the connection this store opened; a client passed in stays open."""
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None


__all__ = ["RedisStore"]
