"""Long-term memory (layer 3): vector, full-text, graph and time in one embedded store.

>>> memory = Memory.open("surrealkv://~/.fluent-ai/memory")
>>> await memory.add("Ada prefers metric units", kind="semantic", scope=Scope(user="ada"))
>>> hits = await memory.search("which units?", scope=Scope(user="ada"))

The store is SurrealDB, embedded (``mem://``, ``surrealkv://PATH``) or a server
(``ws://``); see ``docs/memory.md``. Importing this package loads neither SurrealDB nor
usearch: a store loads them when it opens.
"""

from fluent_ai.memory.consolidation import Merge
from fluent_ai.memory.errors import (
    InvalidMemoryError,
    MemoryNotFoundError,
    MemoryStoreError,
    SchemaMismatchError,
    StoreLockedError,
    StoreQueryError,
)
from fluent_ai.memory.facts import FactChange, FactExtractionError
from fluent_ai.memory.memory import Memory
from fluent_ai.memory.observe import MemoryEvent, OperationStats
from fluent_ai.memory.summaries import Summary
from fluent_ai.memory.types import (
    MEMORY_KINDS,
    RELATIONS,
    Edge,
    Hit,
    MemoryKind,
    MemoryRecord,
    Relation,
    Scope,
)
from fluent_ai.memory.working import WorkingMemory

__all__ = [
    "MEMORY_KINDS",
    "RELATIONS",
    "Edge",
    "FactChange",
    "FactExtractionError",
    "Hit",
    "InvalidMemoryError",
    "Memory",
    "MemoryEvent",
    "MemoryKind",
    "MemoryNotFoundError",
    "MemoryRecord",
    "MemoryStoreError",
    "Merge",
    "OperationStats",
    "Relation",
    "SchemaMismatchError",
    "Scope",
    "StoreLockedError",
    "StoreQueryError",
    "Summary",
    "WorkingMemory",
]
