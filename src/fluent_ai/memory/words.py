"""Full-text search over the memories' words (BM25), behind one small protocol.

Two implementations, chosen like the vector index's (:mod:`fluent_ai.memory.vectors`):

* :class:`SqliteWords`, for an embedded store: SQLite's FTS5 (in Python's standard
  library), in a file beside the store (``PATH.words``) or in memory for ``mem://``.
  SurrealDB 2.x's own full-text index took about 6.4 ms of a 6.9 ms add on disk
  (measured by defining the table with and without it), and re-indexed a record's words
  whenever a search counted a retrieval; FTS5 adds a few hundredths of a millisecond.
  It is derived data, kept like the usearch index: saved with the store version it
  matches, rebuilt from the store at open when it does not match.
* :class:`ServerWords`, for a SurrealDB server: many processes share the store, so
  they share SurrealDB's BM25 index too (defined by :func:`~.schema.text_index`).

Both score each word on its own (see :func:`fluent_ai.memory.search.by_text`) and apply
what they can of the filters: the server all of them, FTS5 the scope and the kinds
(which never change once a memory is written); the caller checks the rest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fluent_ai.memory.connection import Connection
from fluent_ai.memory.records import key

if TYPE_CHECKING:
    from fluent_ai.memory.search import Filters

Matches = list[list[tuple[int, float]]]
"""For each word searched, ``(key, BM25 score)`` of the memories holding it, best first."""

_SCOPE = ("user", "agent", "session")
_BATCH = 2000
_INSERT = "INSERT INTO words (rowid, content, user, agent, session, kind) VALUES (?, ?, ?, ?, ?, ?)"


class WordIndex(Protocol):
    """Memory keys to their words; ``search`` ranks the memories holding each word."""

    def add(self, memory_key: int, data: Mapping[str, Any]) -> None: ...
    def remove(self, keys: list[int]) -> None: ...
    async def search(self, words: Sequence[str], depth: int, filters: Filters) -> Matches: ...
    def save(self, version: str) -> None: ...
    def close(self) -> None: ...


class SqliteWords:
    """An FTS5 table of the memories' content, their scope and kind beside it."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db = _connect(path)

    @classmethod
    async def open(cls, connection: Connection, path: Path | None, version: str) -> SqliteWords:
        """The index for the store behind ``connection``: the saved file if it was saved
        for ``version`` (the store's identity and write counter), else rebuilt."""
        index: SqliteWords | None = None
        try:
            index = cls(path)
            current = index._saved() == version
        except sqlite3.DatabaseError:  # a damaged file: it is derived, so start again
            if index is not None:
                index.close()
            _remove(path)
            index, current = cls(path), False
        if not current:
            await index._rebuild(connection)
            index.save(version)
        return index

    def _saved(self) -> str | None:
        row = self._db.execute("SELECT value FROM saved WHERE name = 'version'").fetchone()
        return None if row is None else str(row[0])

    async def _rebuild(self, connection: Connection) -> None:
        self._db.execute("DELETE FROM words")
        self._db.execute("DELETE FROM saved")
        after = 0
        while True:
            # A record range reads the next batch in key order without a scan.
            [rows] = await connection.query(
                "SELECT VALUE [record::id(id), content, user, agent, session, kind] "
                f"FROM memory:{after + 1}.. LIMIT $limit",
                {"limit": _BATCH},
            )
            if not rows:
                return
            self._db.execute("BEGIN")
            self._db.executemany(_INSERT, rows)
            self._db.execute("COMMIT")
            after = int(rows[-1][0])

    def add(self, memory_key: int, data: Mapping[str, Any]) -> None:
        self._db.execute(
            _INSERT,
            (memory_key, data["content"], *(data.get(part) for part in _SCOPE), data["kind"]),
        )

    def remove(self, keys: list[int]) -> None:
        self._db.executemany("DELETE FROM words WHERE rowid = ?", [(found,) for found in keys])

    async def search(self, words: Sequence[str], depth: int, filters: Filters) -> Matches:
        clauses, params = ["words MATCH ?"], []
        for name, value in filters.scope.fields().items():
            clauses.append(f"{name} = ?")
            params.append(value)
        if filters.kinds:
            clauses.append(f"kind IN ({', '.join('?' * len(filters.kinds))})")
            params.extend(filters.kinds)
        # bm25() is lower for a better match: negated, it reads like SurrealDB's score.
        statement = (
            f"SELECT rowid, -bm25(words) FROM words WHERE {' AND '.join(clauses)} "
            "ORDER BY bm25(words) LIMIT ?"
        )
        return [
            self._db.execute(statement, (_phrase(word), *params, depth)).fetchall()
            for word in words
        ]

    def save(self, version: str) -> None:
        """Record the store version the table now matches (its rows are already written)."""
        self._db.execute("INSERT OR REPLACE INTO saved VALUES ('version', ?)", (version,))

    def close(self) -> None:
        self._db.close()


class ServerWords:
    """SurrealDB's BM25 index (defined on server stores)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, memory_key: int, data: Mapping[str, Any]) -> None:
        """Nothing to do: the database indexes what it stores."""

    def remove(self, keys: list[int]) -> None:
        """Nothing to do: the database drops what it deletes."""

    async def search(self, words: Sequence[str], depth: int, filters: Filters) -> Matches:
        # One statement per word, all in one round trip: ``@@`` with several words
        # matches only the memories holding every one of them.
        condition, params = filters.where()
        statements = "".join(
            f"SELECT id, search::score(1) AS relevance FROM memory WHERE content @1@ $word_{n} "
            f"AND {condition} ORDER BY relevance DESC LIMIT $depth;"
            for n in range(len(words))
        )
        words_params = {f"word_{n}": word for n, word in enumerate(words)}
        results = await self._connection.query(
            statements, {**params, **words_params, "depth": depth}
        )
        return [
            [(int(key(row["id"])), float(row["relevance"])) for row in rows] for rows in results
        ]

    def save(self, version: str) -> None:
        """Nothing to do: the database persists its own index."""

    def close(self) -> None:
        """Nothing to do: the connection is the store's."""


def _connect(path: Path | None) -> sqlite3.Connection:
    # Autocommit: every write is its own transaction. In WAL mode with synchronous=NORMAL
    # a commit does not wait for the disk; a crash may lose the last writes, which the
    # saved version then no longer matches, so the table is rebuilt at the next open.
    db = sqlite3.connect(":memory:" if path is None else path, isolation_level=None)
    if path is not None:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(content, user UNINDEXED, "
        "agent UNINDEXED, session UNINDEXED, kind UNINDEXED, tokenize='porter unicode61')"
    )
    db.execute("CREATE TABLE IF NOT EXISTS saved (name TEXT PRIMARY KEY, value TEXT)")
    return db


def _phrase(word: str) -> str:
    """``word`` as one FTS5 term, whatever it holds (FTS5 has its own query syntax)."""
    return '"' + word.replace('"', '""') + '"'


def _remove(path: Path | None) -> None:
    if path is None:
        return
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
