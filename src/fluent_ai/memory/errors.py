"""Errors of the memory store: bad input, a store that cannot be opened, a failed write."""

from __future__ import annotations

from fluent_ai.types.errors import ConfigurationError, FluentAIError


class MemoryStoreError(FluentAIError):
    """Base of every memory error (not ``MemoryError``: that builtin means out of RAM)."""


class InvalidMemoryError(MemoryStoreError, ConfigurationError):
    """A memory, an edge or a query was malformed: empty content, a vector of the wrong
    length or with non-finite values, an unknown kind. Nothing was written."""


class MemoryNotFoundError(MemoryStoreError):
    """No memory has that id in this store."""


class StoreLockedError(MemoryStoreError):
    """Another process owns this embedded store.

    An embedded store (``surrealkv://``) has one owner: two writers would corrupt its
    vector index. Processes that must share one store talk to a SurrealDB server
    (``ws://``) instead.
    """


class StoreQueryError(MemoryStoreError):
    """The database refused a statement or could not be reached; nothing of the
    failed write was kept (each write is one transaction)."""


class SchemaMismatchError(MemoryStoreError):
    """The store was made by another version of fluent-ai or for another embedding
    model (a different vector length), and cannot be used as it is."""
