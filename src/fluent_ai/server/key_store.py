"""The gateway's keys and spend on disk: one SQLite file.

The file is the durable record: the keys (digests, never secrets) and what each key
spent on each model. The gateway reads it off the request path — the whole key table
at start and again every few seconds, spend written in batches
(:mod:`fluent_ai.server.gatekeeper`) — and ``fluent-ai keys`` works on the same file
directly. Every method is blocking; the gateway calls them in a worker thread.

:class:`Store` is what the gateway and the CLI need of a store; Postgres
(:mod:`fluent_ai.server.key_store_pg`) is the other one, for gateways on several machines.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from fluent_ai.server.keys import SHOWN, VirtualKey, checked_limits, digest, new_secret
from fluent_ai.types import ConfigurationError, InvalidRequestError

SCHEMA = """
CREATE TABLE IF NOT EXISTS keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    models TEXT NOT NULL,
    rpm INTEGER,
    tpm INTEGER,
    budget REAL,
    expires REAL,
    revoked INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS spend (
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    usd REAL NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, model)
);
CREATE TABLE IF NOT EXISTS spend_batches (id TEXT PRIMARY KEY, at REAL NOT NULL);
"""

BATCHES_KEPT = 7 * 86400
"""Seconds a written batch's id is remembered: a batch sent again after that would count twice."""

SpendRow = tuple[str, str, float, int, int, int]
"""One batch entry: key id, model, USD, requests, input tokens, output tokens."""

SPEND_FIELDS = ("key_id", "name", "model", "usd", "requests", "input_tokens", "output_tokens")
POSTGRES = ("postgresql://", "postgres://")


class Store(Protocol):
    """Keys and spend, durable and shared by every process that opens the same store.

    Every method blocks (the gateway calls them in a worker thread); the SQLite and
    Postgres stores answer them alike.
    """

    def create(
        self,
        name: str,
        *,
        models: Sequence[str] = (),
        rpm: int | None = None,
        tpm: int | None = None,
        budget: float | None = None,
        expires: float | None = None,
    ) -> tuple[VirtualKey, str]: ...

    def listed(self) -> list[VirtualKey]: ...

    def revoke(self, key_id: str) -> bool: ...

    def add_spend(self, rows: Iterable[SpendRow], batch: str | None = None) -> None:
        """Add a batch of spend. A batch named ``batch`` is added once, however many
        times it is sent (its first commit may have succeeded with the answer lost)."""

    def spend(self) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


def open_url(url: str) -> Store:
    """The store a URL names: ``postgresql://…`` (or ``postgres://…``), else SQLite."""
    if url.startswith(POSTGRES):
        from fluent_ai.server.key_store_pg import PostgresKeyStore

        return PostgresKeyStore(url)
    return KeyStore(store_path(url))


def store_path(url: str) -> Path:
    """The file a ``sqlite:///path`` URL (or a bare path) names."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).expanduser()
    if "://" in url:
        raise ConfigurationError(
            f"keys store {url.split('://')[0]}:// is not supported: use sqlite:///PATH "
            "or postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        )
    return Path(url).expanduser()


def new_key(
    name: str,
    models: Sequence[str],
    rpm: int | None,
    tpm: int | None,
    budget: float | None,
    expires: float | None,
) -> tuple[VirtualKey, str]:
    """A checked new key and its secret, before any store writes it."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequestError("a key needs a name (who or what uses it)")
    checked_limits(rpm, tpm, budget, tuple(models))
    secret = new_secret()
    key = VirtualKey(
        id="key_" + secrets.token_hex(6),
        name=name.strip(),
        prefix=secret[:SHOWN],
        digest=digest(secret),
        models=tuple(models),
        rpm=rpm,
        tpm=tpm,
        budget=budget,
        expires=expires,
        created=time.time(),
    )
    return key, secret


class KeyStore:
    """Keys and spend in the SQLite file at ``path`` (made with its tables if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigurationError(f"cannot open the keys store {path}: {exc}") from None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def create(
        self,
        name: str,
        *,
        models: Sequence[str] = (),
        rpm: int | None = None,
        tpm: int | None = None,
        budget: float | None = None,
        expires: float | None = None,
    ) -> tuple[VirtualKey, str]:
        """A new key and its secret: the only time the secret exists outside a caller."""
        key, secret = new_key(name, models, rpm, tpm, budget, expires)
        with self._lock:
            self._db.execute(
                "INSERT INTO keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (
                    key.id,
                    key.name,
                    key.prefix,
                    key.digest,
                    json.dumps(list(key.models)),
                    key.rpm,
                    key.tpm,
                    key.budget,
                    key.expires,
                    key.created,
                ),
            )
        return key, secret

    def listed(self) -> list[VirtualKey]:
        """Every key, revoked ones included, with its total spend."""
        with self._lock:
            rows = self._db.execute(
                "SELECT k.id, k.name, k.prefix, k.digest, k.models, k.rpm, k.tpm, k.budget,"
                " k.expires, k.revoked, k.created, COALESCE(SUM(s.usd), 0)"
                " FROM keys k LEFT JOIN spend s ON s.key_id = k.id"
                " GROUP BY k.id ORDER BY k.created"
            ).fetchall()
        return [key_from_row(row) for row in rows]

    def revoke(self, key_id: str) -> bool:
        """Revoke a key for good; ``False`` when there is no key by that id."""
        with self._lock:
            done = self._db.execute("UPDATE keys SET revoked = 1 WHERE id = ?", (key_id,))
        return done.rowcount > 0

    def add_spend(self, rows: Iterable[SpendRow], batch: str | None = None) -> None:
        """Add one batch of spend, in one transaction (once per ``batch`` name)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if batch is not None:
                    now = time.time()
                    seen = self._db.execute(
                        "INSERT OR IGNORE INTO spend_batches VALUES (?, ?)", (batch, now)
                    )
                    if seen.rowcount == 0:  # written before: its answer was lost
                        self._db.execute("ROLLBACK")
                        return
                    self._db.execute(
                        "DELETE FROM spend_batches WHERE at < ?", (now - BATCHES_KEPT,)
                    )
                self._db.executemany(
                    "INSERT INTO spend VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id, model)"
                    " DO UPDATE SET usd = usd + excluded.usd,"
                    " requests = requests + excluded.requests,"
                    " input_tokens = input_tokens + excluded.input_tokens,"
                    " output_tokens = output_tokens + excluded.output_tokens",
                    list(rows),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def spend(self) -> list[dict[str, Any]]:
        """Spend per key and model, most expensive first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.key_id, k.name, s.model, s.usd, s.requests, s.input_tokens,"
                " s.output_tokens FROM spend s LEFT JOIN keys k ON k.id = s.key_id"
                " ORDER BY s.usd DESC, s.key_id, s.model"
            ).fetchall()
        return [dict(zip(SPEND_FIELDS, row, strict=True)) for row in rows]


def key_from_row(row: Sequence[Any]) -> VirtualKey:
    """A key from a listing row (the columns of ``keys``, then its total spend)."""
    return VirtualKey(
        id=row[0],
        name=row[1],
        prefix=row[2],
        digest=row[3],
        models=tuple(json.loads(row[4])),
        rpm=row[5],
        tpm=row[6],
        budget=row[7],
        expires=row[8],
        revoked=bool(row[9]),
        created=row[10],
        spent=float(row[11]),
    )
