"""Key counters shared through Redis, so several gateway processes hold one budget.

Each process counts its own calls in memory and, once per flush (a background task,
never a request), adds what it counted to three counters per key in Redis — USD spent,
requests, tokens — and reads back the totals in the same pipeline. The spend total
becomes the key's spend in every process; the growth of the request and token totals
that other processes caused is taken from this process's rpm and tpm buckets. So a
limit holds across processes to within one flush interval of traffic.

A key's spend counter starts from the key store's total (``SET NX``) the first
time any process sees it, then only grows; it is written before the store, so a
process that seeds it later cannot count a batch twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fluent_ai.engine.cache_redis import _where
from fluent_ai.types import ConfigurationError

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("fluent_ai.server")


@dataclass
class Counted:
    """What this process counted for one key since its last flush."""

    key_id: str
    seed: float
    usd: float = 0.0
    requests: int = 0
    tokens: int = 0


class SharedCounters:
    """Per-key spend, request and token totals in the Redis server at ``url``."""

    def __init__(self, url: str, *, prefix: str = "fluent-ai:keys:") -> None:
        try:
            from redis.asyncio import Redis
        except ImportError:
            raise ConfigurationError(
                "state: redis://… needs the redis extra: pip install 'fluent-ai[redis]'"
            ) from None
        self.url = url
        self.prefix = prefix
        self._client: Redis = Redis.from_url(url)

    async def exchange(self, counted: Sequence[Counted]) -> list[tuple[float, int, int]]:
        """Add each key's counts; the totals (USD, requests, tokens) after them, in order."""
        pipe = self._client.pipeline(transaction=False)
        for item in counted:
            base = f"{self.prefix}{item.key_id}:"
            pipe.set(base + "usd", repr(item.seed), nx=True)
            pipe.incrbyfloat(base + "usd", item.usd)
            pipe.incrby(base + "requests", item.requests)
            pipe.incrby(base + "tokens", item.tokens)
        try:
            replies: list[Any] = await pipe.execute()
        except Exception as exc:
            raise ConnectionError(f"redis at {_where(self.url)}: {type(exc).__name__}") from None
        return [
            (float(replies[i + 1]), int(replies[i + 2]), int(replies[i + 3]))
            for i in range(0, len(replies), 4)
        ]

    async def aclose(self) -> None:
        await self._client.aclose()
