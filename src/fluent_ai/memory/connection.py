"""One SurrealDB connection: where it points, and queries whose every statement is checked.

The client's ``query()`` returns only the first statement's result and does not raise
when a later statement fails, so everything here goes through ``query_raw()`` and
every statement's status is read: one failure raises
:class:`~fluent_ai.memory.errors.StoreQueryError` naming the statement and the
database's own message. A write is always one ``BEGIN … COMMIT`` query string, which
SurrealDB applies whole or not at all.

``surrealdb`` takes a third of a second to import, so it is imported when a store is
opened, never by ``import fluent_ai.memory``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fluent_ai.memory import embedded
from fluent_ai.memory.errors import InvalidMemoryError, StoreQueryError
from fluent_ai.memory.lock import StoreLock

Engine = Literal["mem", "surrealkv", "server"]

_EMBEDDED = {
    "mem": "mem",
    "memory": "mem",
    "surrealkv": "surrealkv",
    "surrealkv+versioned": "surrealkv",
}
_SERVER = ("ws", "wss")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a store lives: ``url`` as the client takes it, its engine, and for an
    embedded store on disk, its directory."""

    url: str
    engine: Engine
    path: Path | None = None

    @property
    def embedded(self) -> bool:
        """Whether the store runs inside this process (one owner, a usearch index)."""
        return self.engine != "server"


def locate(url: str) -> Location:
    """Parse ``mem://``, ``surrealkv://PATH`` (``~`` expanded, relative paths allowed),
    ``surrealkv+versioned://PATH``, or a server's ``ws://`` or ``wss://``.

    Not ``http(s)://``: the SDK's HTTP client cannot open a session (its ``connect``
    is not implemented), so such a store would fail at its first query.
    """
    scheme, sep, rest = url.partition("://")
    engine = _EMBEDDED.get(scheme.lower())
    if sep and engine == "mem":
        return Location("mem://", "mem")
    if sep and engine == "surrealkv":
        if not rest:
            raise InvalidMemoryError(f"{url!r} names no directory: use surrealkv://PATH")
        path = Path(rest).expanduser().absolute()
        return Location(f"{scheme.lower()}://{path}", "surrealkv", path)
    if sep and scheme.lower() in _SERVER and rest:
        return Location(url, "server")
    if sep and scheme.lower() in ("http", "https") and rest:
        secure = "s" if scheme.lower() == "https" else ""
        raise InvalidMemoryError(
            f"a SurrealDB server is reached over its websocket here, not HTTP: use "
            f"ws{secure}://{rest} (the SDK's HTTP client cannot open a session)"
        )
    raise InvalidMemoryError(
        f"{url!r} is not a memory store address: use mem:// (in memory), "
        "surrealkv://PATH (a directory on disk) or ws://HOST:PORT (a SurrealDB server)"
    )


_CANCELLED = "not executed due to a failed transaction"
"""What SurrealDB says of the statements a failed transaction took with it."""


class Connection:
    """An open connection (and, for a store on disk, the lock that makes us its owner)."""

    def __init__(self, client: Any, location: Location, lock: StoreLock | None) -> None:
        self._client = client
        self.location = location
        self._lock = lock
        self._closed = False

    @classmethod
    async def open(
        cls,
        location: Location,
        *,
        namespace: str,
        database: str,
        username: str | None = None,
        password: str | None = None,
    ) -> Connection:
        """Connect (and lock an on-disk store); raises on a held lock or a refused login."""
        lock = StoreLock.acquire(location.path) if location.path is not None else None
        client: Any = None
        try:
            client = _client_for(location)
            # Never ``connect(url)`` on an embedded client: it makes a second engine
            # (and thread pool) over the same files, dropping the constructor's.
            await client.connect(None if location.embedded else location.url)
            if location.engine == "server":
                username = username or os.environ.get("SURREAL_USER")
                password = password or os.environ.get("SURREAL_PASS")
                if username and password:
                    await client.signin({"username": username, "password": password})
            await client.use(namespace, database)
        except BaseException as exc:
            # A refused login or ``use`` must not leave the socket (or the engine, which
            # holds the files the lock protects) open behind us.
            if client is not None:
                await _close_after_failure(client, exc)
            if lock is not None:
                lock.release()
            if isinstance(exc, Exception) and not isinstance(exc, InvalidMemoryError):
                raise StoreQueryError(
                    f"could not open the memory store {location.url}: {exc}"
                ) from exc
            raise
        return cls(client, location, lock)

    async def query(self, text: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Each statement's result; raises :class:`StoreQueryError` if any failed."""
        try:
            response = await self._client.query_raw(text, dict(params or {}))
        except Exception as exc:
            raise StoreQueryError(f"the memory store could not run a query: {exc}") from exc
        statements = response.get("result")
        if not isinstance(statements, list):
            raise StoreQueryError(f"the memory store answered {response.get('error', response)!r}")
        failed = [
            (number, statement.get("result"))
            for number, statement in enumerate(statements, start=1)
            if statement.get("status") != "OK"
        ]
        if failed:
            # In a failed transaction every statement fails; name the one that caused it.
            causes = [entry for entry in failed if _CANCELLED not in str(entry[1])] or failed
            number, result = causes[0]
            raise StoreQueryError(f"statement {number} of a memory-store query failed: {result}")
        return [statement.get("result") for statement in statements]

    async def close(self) -> None:
        """Close the connection, then give up the lock (in that order: the lock stays
        held until the engine has let go of the files). A ``surrealkv`` client is kept
        for the next open of the store (:mod:`fluent_ai.memory.embedded`). Closing
        twice does nothing: the client may by then belong to the store's next opener."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._client.close()
            if self.location.engine == "surrealkv" and self.location.path is not None:
                embedded.keep(self.location.url, self.location.path, self._client)
        finally:
            if self._lock is not None:
                self._lock.release()


def _client_for(location: Location) -> Any:
    """A new client, or for a store on disk the one kept from its last close."""
    if location.engine == "surrealkv" and location.path is not None:
        return embedded.take(location.url, location.path)
    from surrealdb import AsyncSurreal

    return AsyncSurreal(location.url)


async def _close_after_failure(client: Any, failure: BaseException) -> None:
    """Close a client whose opening failed; a failure to close is noted on ``failure``
    (which is what the caller raises), not raised over it."""
    try:
        await client.close()
    except Exception as exc:
        failure.add_note(f"closing the half-open connection also failed: {exc!r}")
