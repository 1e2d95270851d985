"""The gateway's keys and spend in Postgres, so gateways on several machines share them.

The same store as the SQLite one (:class:`~fluent_ai.server.key_store.Store`: the same
methods, the same meaning), chosen by a ``postgresql://`` store URL. It runs on psycopg 3,
blocking, over one connection: the gateway already calls its store from a worker thread,
off the request path, and ``fluent-ai keys`` calls it directly, so a blocking driver keeps
one code path for both, where asyncpg would need a second, synchronous one for the CLI.
psycopg ships wheels with libpq, and sends a spend batch's rows in one pipeline.

A connection that breaks (a restarted server) is replaced at the next call. The URL's
password never leaves this module: errors and the repr name only host, port and database.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote, urlsplit

from fluent_ai.server.key_store import (
    BATCHES_KEPT,
    SPEND_FIELDS,
    SpendRow,
    key_from_row,
    new_key,
)
from fluent_ai.server.keys import VirtualKey
from fluent_ai.types import ConfigurationError, ConnectionError

if TYPE_CHECKING:
    import psycopg

T = TypeVar("T")

KEYS = "fluent_ai_keys"
SPEND = "fluent_ai_spend"
BATCHES = "fluent_ai_spend_batches"
# Named for this library: the database may well hold other applications' tables.
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {KEYS} (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    models TEXT NOT NULL,
    rpm INTEGER,
    tpm INTEGER,
    budget DOUBLE PRECISION,
    expires DOUBLE PRECISION,
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    created DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS {SPEND} (
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    usd DOUBLE PRECISION NOT NULL DEFAULT 0,
    requests BIGINT NOT NULL DEFAULT 0,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, model)
);
CREATE TABLE IF NOT EXISTS {BATCHES} (id TEXT PRIMARY KEY, at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS {BATCHES}_at ON {BATCHES} (at);
"""
# Two gateways starting at once would race on CREATE TABLE IF NOT EXISTS (a duplicate
# type error); one transaction-scoped advisory lock makes the second wait for the first.
SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(hashtext('fluent_ai keys schema'))"
SEEN = f"INSERT INTO {BATCHES} VALUES (%s, %s) ON CONFLICT (id) DO NOTHING"
FORGET = f"DELETE FROM {BATCHES} WHERE at < %s"
ADD_SPEND = (
    f"INSERT INTO {SPEND} AS s VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key_id, model)"
    " DO UPDATE SET usd = s.usd + excluded.usd, requests = s.requests + excluded.requests,"
    " input_tokens = s.input_tokens + excluded.input_tokens,"
    " output_tokens = s.output_tokens + excluded.output_tokens"
)
LISTED = (
    "SELECT k.id, k.name, k.prefix, k.digest, k.models, k.rpm, k.tpm, k.budget, k.expires,"
    f" k.revoked, k.created, COALESCE(SUM(s.usd), 0) FROM {KEYS} k"
    f" LEFT JOIN {SPEND} s ON s.key_id = k.id GROUP BY k.id ORDER BY k.created, k.id"
)
SPENT = (
    "SELECT s.key_id, k.name, s.model, s.usd, s.requests, s.input_tokens, s.output_tokens"
    f" FROM {SPEND} s LEFT JOIN {KEYS} k ON k.id = s.key_id"
    " ORDER BY s.usd DESC, s.key_id, s.model"
)
DEFAULTS: dict[str, Any] = {"connect_timeout": 10, "application_name": "fluent-ai gateway"}
"""Connection settings used where the URL sets none (seconds to wait for the server)."""


def where(url: str) -> str:
    """The server and database a URL names, without user name or password."""
    parts = urlsplit(url)
    try:
        port = parts.port or 5432
    except ValueError:
        port = 5432
    return f"postgresql://{parts.hostname or 'localhost'}:{port}{parts.path}"


class PostgresKeyStore:
    """Keys and spend in the Postgres database at ``url`` (tables made if missing)."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise ConfigurationError(
                "a postgresql:// keys store needs the postgres extra: "
                "pip install 'fluent-ai[postgres]'"
            ) from None
        self._psycopg = psycopg
        self._url = url
        self.where = where(url)
        self._secrets = {unquote(urlsplit(url).password or "")} - {""}
        self._lock = threading.Lock()
        try:
            from psycopg.conninfo import conninfo_to_dict

            self._settings = conninfo_to_dict(url)
            self._secrets |= {str(self._settings.get("password") or "")} - {""}
            self._db = self._connect()
        except psycopg.Error as exc:
            raise ConfigurationError(
                f"cannot open the keys store {self.where}: {self._told(exc)}"
            ) from None
        try:
            with self._db.transaction():
                self._db.execute(SCHEMA_LOCK)
                self._db.execute(SCHEMA)
        except psycopg.Error as exc:
            self._db.close()
            raise ConfigurationError(
                f"cannot make the keys tables in {self.where}: {self._told(exc)}"
            ) from None

    def __repr__(self) -> str:
        return f"PostgresKeyStore({self.where!r})"

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
        row = (
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
        )
        insert = f"INSERT INTO {KEYS} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, FALSE, %s)"
        self._run(lambda db: db.execute(insert, row))
        return key, secret

    def listed(self) -> list[VirtualKey]:
        """Every key, revoked ones included, with its total spend."""
        rows = self._run(lambda db: db.execute(LISTED).fetchall())
        return [key_from_row(row) for row in rows]

    def revoke(self, key_id: str) -> bool:
        """Revoke a key for good; ``False`` when there is no key by that id."""
        update = f"UPDATE {KEYS} SET revoked = TRUE WHERE id = %s"
        done = self._run(lambda db: db.execute(update, (key_id,)).rowcount)
        return done > 0

    def add_spend(self, rows: Iterable[SpendRow], batch: str | None = None) -> None:
        """Add one batch of spend, in one transaction and one round trip (once per
        ``batch`` name: a batch whose commit succeeded but whose answer was lost is
        sent again by the gateway, and must not count twice).

        The rows go in key order, the same in every process, so two gateways flushing
        at once wait for each other's row locks instead of deadlocking.
        """
        ordered = sorted(rows)
        if not ordered:
            return

        def write(db: psycopg.Connection[Any]) -> None:
            with db.transaction(), db.cursor() as cursor:
                if batch is not None:
                    now = time.time()
                    if cursor.execute(SEEN, (batch, now)).rowcount == 0:
                        return  # written before
                    cursor.execute(FORGET, (now - BATCHES_KEPT,))
                cursor.executemany(ADD_SPEND, ordered)

        self._run(write)

    def spend(self) -> list[dict[str, Any]]:
        """Spend per key and model, most expensive first."""
        rows = self._run(lambda db: db.execute(SPENT).fetchall())
        return [dict(zip(SPEND_FIELDS, row, strict=True)) for row in rows]

    def _connect(self) -> psycopg.Connection[Any]:
        unset = {name: value for name, value in DEFAULTS.items() if name not in self._settings}
        return self._psycopg.connect(self._url, autocommit=True, **unset)

    def _run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``work`` on the connection, made anew first if the last one broke."""
        psycopg = self._psycopg
        with self._lock:
            try:
                if self._db.closed:
                    self._db = self._connect()
                return work(self._db)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                raise ConnectionError(
                    f"keys store {self.where}: {self._told(exc)}", retryable=True
                ) from None

    def _told(self, exc: Exception) -> str:
        """The driver's first line, with the password cut out wherever it appears."""
        told = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        for secret in self._secrets:
            told = told.replace(secret, "***")
        return told.replace(self._url, self.where)
