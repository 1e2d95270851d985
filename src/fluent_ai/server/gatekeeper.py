"""Who may call the gateway, what each key may still do, and what it spent.

:class:`Gatekeeper` answers every call from memory: the key table is loaded from the
store at start and reloaded in the background every ``refresh`` seconds (so a key made
or revoked with ``fluent-ai keys`` takes effect within that time; one revoked through
``/admin/keys`` at once in the process that revoked it); rpm and tpm are token buckets
per key; spend is added up in memory and written to the store — and to Redis when one
is shared — in batches every ``flush`` seconds. No request waits for a disk or a
network. A call is refused once its key's spend reached its budget, so the call that
crosses the budget still runs and the key may end above it by that call's cost; tpm
is charged with the tokens used when the answer is done, with the same overshoot.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from fluent_ai.engine.limits import SLACK, TokenBucket
from fluent_ai.server.errors import Failure
from fluent_ai.server.key_state import Counted, SharedCounters
from fluent_ai.server.key_store import SpendRow, Store
from fluent_ai.server.keys import NO_KEY, VirtualKey, digest, presented
from fluent_ai.server.observe import Noted
from fluent_ai.server.spend import Pricer

log = logging.getLogger("fluent_ai.server")

MASTER = "master"
"""The id spend made with the master key is recorded under."""


@dataclass
class Entry:
    """A key in memory with its buckets and the spend the store has seen."""

    key: VirtualKey
    rpm: TokenBucket | None
    tpm: TokenBucket | None
    stored: float  # spend in the store (or Redis) at the last reload
    requests: int = -1  # Redis request total at the last flush (-1: not seen yet)
    tokens: int = -1


class Gatekeeper:
    """Keys checked from memory; spend and counters flushed in batches (module docstring)."""

    def __init__(
        self,
        store: Store,
        *,
        master_key: str,
        shared: SharedCounters | None = None,
        refresh: float = 2.0,
        flush: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if not master_key:
            raise ValueError("a gatekeeper needs a master key")
        self.store = store
        self.shared = shared
        self.refresh = refresh
        self.flush_every = flush
        self.clock = clock  # for the rate buckets
        self.wall = wall  # for expiry dates (Unix time)
        self.pricer = Pricer({})
        self.master = digest(master_key)
        self._by_digest: dict[str, Entry] = {}
        self._by_id: dict[str, Entry] = {}
        self._pending: dict[tuple[str, str], list[float]] = {}
        self._unacknowledged: tuple[str, list[SpendRow]] | None = None
        self._store_turn = asyncio.Lock()  # a reload reading during a flush misses its batch
        self._unshared: dict[str, Counted] = {}
        self._task: asyncio.Task[None] | None = None

    def serve(self, models: Mapping[str, object]) -> None:
        """Price calls of these served models."""
        self.pricer = Pricer(models)

    # The hot path.

    def admit(self, headers: Mapping[str, str], model: str, note: Noted) -> Failure | None:
        """Why this call may not go, or ``None`` (and the key noted for its spend)."""
        secret = presented(headers)
        if secret is None:
            return Failure(401, "authentication", NO_KEY)
        hashed = digest(secret)
        if hmac.compare_digest(hashed, self.master):
            note.key = MASTER
            return None
        entry = self._by_digest.get(hashed)
        if entry is None or entry.key.revoked:
            return Failure(401, "authentication", "the key is not valid here (unknown or revoked)")
        key = entry.key
        if key.expires is not None and self.wall() >= key.expires:
            return Failure(401, "authentication", f"key {key.prefix}… expired")
        if not key.allows(model):
            allowed = ", ".join(key.models)
            message = f"this key may not use {model!r}; it may use {allowed}"
            return Failure(403, "permission", message)
        if key.budget is not None and key.spent >= key.budget:
            return Failure(
                402,
                "budget",
                f"this key's budget of ${key.budget:g} is spent (${key.spent:.6f}); "
                "ask the gateway's admin to raise it",
            )
        now = self.clock()
        for bucket, what in ((entry.rpm, "requests"), (entry.tpm, "tokens")):
            if bucket is not None and bucket.short(now, 1.0) > SLACK:
                wait = bucket.wait(now, 1.0)
                return Failure(
                    429,
                    "rate_limit",
                    f"this key's limit of {bucket.limit:g} {what} a minute is reached",
                    {"retry-after": str(max(1, int(wait) + (wait % 1 > 0)))},
                )
        if entry.rpm is not None:
            entry.rpm.take(now, 1.0)
        note.key = key.id
        return None

    def charge(self, noted: Noted) -> None:
        """Count a finished call against its key (from the observer, streams included)."""
        if not noted.key:
            return
        tokens = noted.input_tokens + noted.output_tokens
        usd = self.pricer.cost(
            noted.model, noted.deployment, noted.input_tokens, noted.output_tokens
        )
        _add(
            self._pending,
            (noted.key, noted.model),
            (usd, 1, noted.input_tokens, tokens - noted.input_tokens),
        )
        entry = self._by_id.get(noted.key)
        if entry is None:
            return
        entry.key.spent += usd
        if entry.tpm is not None and tokens:
            entry.tpm.give(self.clock(), -float(tokens))  # in debt past the limit
        if self.shared is not None:
            counted = self._unshared.get(noted.key)
            if counted is None:
                counted = self._unshared[noted.key] = Counted(noted.key, entry.stored)
            counted.usd += usd
            counted.requests += 1
            counted.tokens += tokens

    # Off the hot path.

    def listed(self) -> list[VirtualKey]:
        """The keys as this process sees them (spend included)."""
        return [entry.key for entry in self._by_id.values()]

    def add(self, key: VirtualKey) -> None:
        """Take a key made here at once (others see it at their next reload)."""
        entry = _entry(key)
        self._by_id = {**self._by_id, key.id: entry}
        self._by_digest = {**self._by_digest, key.digest: entry}

    def revoked(self, key_id: str) -> None:
        """Stop a key revoked here at once."""
        entry = self._by_id.get(key_id)
        if entry is not None:
            entry.key.revoked = True

    async def start(self) -> None:
        self._load(await asyncio.to_thread(self.store.listed))
        self._task = asyncio.create_task(self._run(), name="fluent-ai key flush")

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
        if self.shared is not None:
            await self.shared.aclose()
        await asyncio.to_thread(self.store.close)

    async def flush(self) -> None:
        """Write the spend counted since the last flush (Redis first, then the store)."""
        async with self._store_turn:
            await self._flush()

    async def reload(self) -> None:
        """Read the key table again (keys made or revoked elsewhere, others' spend)."""
        async with self._store_turn:
            self._load(await asyncio.to_thread(self.store.listed))

    async def _flush(self) -> None:
        if self.shared is not None and self._by_id:
            await self._share()
        # A batch keeps its name until the store takes it, so one sent again is counted
        # once; spend counted meanwhile waits in _pending for the batch after it.
        if self._unacknowledged is not None:
            batch, unacknowledged = self._unacknowledged
            await asyncio.to_thread(self.store.add_spend, unacknowledged, batch)
            self._unacknowledged = None
        pending, self._pending = self._pending, {}
        if pending:
            rows: list[SpendRow] = [
                (key_id, model, usd, int(n), int(i), int(o))
                for (key_id, model), (usd, n, i, o) in pending.items()
            ]
            batch = "batch_" + secrets.token_hex(12)
            self._unacknowledged = (batch, rows)
            await asyncio.to_thread(self.store.add_spend, rows, batch)
            self._unacknowledged = None

    async def _run(self) -> None:
        last = self.clock()
        while True:
            await asyncio.sleep(self.flush_every)
            try:
                await self.flush()
                if self.clock() - last >= self.refresh:
                    last = self.clock()
                    await self.reload()
            except Exception as exc:  # keep serving; the next round tries again
                log.warning("key store flush failed: %s", type(exc).__name__)

    async def _share(self) -> None:
        shared = self.shared
        if shared is None:
            return
        # Every live key, counted here or not: the totals carry other processes' calls.
        unshared, self._unshared = self._unshared, {}
        counted = [
            unshared.get(key_id) or Counted(key_id, entry.stored)
            for key_id, entry in self._by_id.items()
            if not entry.key.revoked
        ]
        try:
            totals = await shared.exchange(counted)
        except Exception as exc:
            for item in unshared.values():  # sent next time
                again = self._unshared.setdefault(item.key_id, Counted(item.key_id, item.seed))
                again.usd += item.usd
                again.requests += item.requests
                again.tokens += item.tokens
            log.warning("shared key counters unreachable: %s", exc)
            return
        now = self.clock()
        for item, (usd, requests, tokens) in zip(counted, totals, strict=True):
            entry = self._by_id.get(item.key_id)
            if entry is None:
                continue
            since = self._unshared.get(item.key_id)
            entry.stored = usd
            entry.key.spent = usd + (since.usd if since else 0.0)
            if entry.requests >= 0 and entry.rpm is not None:
                entry.rpm.give(now, -float(max(0, requests - entry.requests - item.requests)))
            if entry.tokens >= 0 and entry.tpm is not None:
                entry.tpm.give(now, -float(max(0, tokens - entry.tokens - item.tokens)))
            entry.requests, entry.tokens = requests, tokens

    def _load(self, keys: list[VirtualKey]) -> None:
        unflushed: dict[str, float] = {}
        for (key_id, _), row in self._pending.items():
            unflushed[key_id] = unflushed.get(key_id, 0.0) + row[0]
        by_id: dict[str, Entry] = {}
        for key in keys:
            entry = self._by_id.get(key.id)
            if entry is None or (entry.key.rpm, entry.key.tpm) != (key.rpm, key.tpm):
                entry = _entry(key)
            if self.shared is None:
                entry.stored = key.spent
                key.spent += unflushed.get(key.id, 0.0)
            else:  # Redis holds the live total; the store's may lag it
                key.spent = max(key.spent, entry.key.spent)
            key.revoked = key.revoked or entry.key.revoked
            entry.key = key
            by_id[key.id] = entry
        self._by_id = by_id
        self._by_digest = {entry.key.digest: entry for entry in by_id.values()}


def _entry(key: VirtualKey) -> Entry:
    rpm = TokenBucket(key.rpm) if key.rpm else None
    tpm = TokenBucket(key.tpm) if key.tpm else None
    return Entry(key, rpm, tpm, key.spent)


def _add(
    pending: dict[tuple[str, str], list[float]], where: tuple[str, str], counts: Sequence[float]
) -> None:
    row = pending.setdefault(where, [0.0, 0, 0, 0])
    for index, count in enumerate(counts):
        row[index] += count
