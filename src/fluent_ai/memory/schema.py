"""The store's tables and indexes, in one versioned place.

``MIGRATIONS[n]`` takes a store from version ``n`` to ``n + 1``; a new store runs them
all, an older one the ones it lacks, each in its own transaction together with the new
version number. The version, the vector length and a counter of vector writes live in
one record, ``fluent_meta:store``. SurrealDB's DDL differs between engine versions (the
3.x engine renames ``SEARCH`` to ``FULLTEXT``): everything engine-specific is here.
"""

from __future__ import annotations

from typing import Final

from fluent_ai.memory.types import MEMORY_KINDS, RELATIONS

META: Final = "fluent_meta:store"

_KINDS = ", ".join(f"'{kind}'" for kind in MEMORY_KINDS)

_MEMORY_TABLE = f"""
DEFINE TABLE IF NOT EXISTS fluent_meta SCHEMALESS;
DEFINE TABLE IF NOT EXISTS memory SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS content ON memory TYPE string;
DEFINE FIELD IF NOT EXISTS kind ON memory TYPE string ASSERT $value IN [{_KINDS}];
DEFINE FIELD IF NOT EXISTS user ON memory TYPE option<string>;
DEFINE FIELD IF NOT EXISTS agent ON memory TYPE option<string>;
DEFINE FIELD IF NOT EXISTS session ON memory TYPE option<string>;
DEFINE FIELD IF NOT EXISTS importance ON memory TYPE float;
DEFINE FIELD IF NOT EXISTS tags ON memory TYPE array<string>;
DEFINE FIELD IF NOT EXISTS source ON memory TYPE option<string>;
DEFINE FIELD IF NOT EXISTS metadata ON memory FLEXIBLE TYPE object;
DEFINE FIELD IF NOT EXISTS created_at ON memory TYPE datetime;
DEFINE FIELD IF NOT EXISTS last_accessed ON memory TYPE option<datetime>;
DEFINE FIELD IF NOT EXISTS access_count ON memory TYPE int;
DEFINE FIELD IF NOT EXISTS valid_until ON memory TYPE option<datetime>;
DEFINE FIELD IF NOT EXISTS invalidated_by ON memory TYPE option<record<memory>>;
DEFINE FIELD IF NOT EXISTS embedding ON memory TYPE bytes | array<float>;
DEFINE INDEX IF NOT EXISTS memory_created ON memory FIELDS created_at;
DEFINE INDEX IF NOT EXISTS memory_user ON memory FIELDS user;
"""

_EDGE_TABLE = """
DEFINE TABLE IF NOT EXISTS {name} TYPE RELATION IN memory OUT memory SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS strength ON {name} TYPE float;
DEFINE FIELD IF NOT EXISTS valid_from ON {name} TYPE datetime;
DEFINE FIELD IF NOT EXISTS valid_to ON {name} TYPE option<datetime>;
DEFINE FIELD IF NOT EXISTS recorded_at ON {name} TYPE datetime;
DEFINE FIELD IF NOT EXISTS expired_at ON {name} TYPE option<datetime>;
"""

MIGRATIONS: Final[tuple[str, ...]] = (
    _MEMORY_TABLE + "".join(_EDGE_TABLE.format(name=name) for name in RELATIONS),
    # 2: memories that faded are archived, not deleted (older rows read as not archived).
    "DEFINE FIELD IF NOT EXISTS archived ON memory TYPE option<bool>;",
    # 3: a vector from another embedding model, held until a re-embedding swaps it in.
    "DEFINE FIELD IF NOT EXISTS embedding_next ON memory TYPE option<bytes | array<float>>;",
)
"""``MIGRATIONS[n]`` brings a store from schema version ``n`` to ``n + 1``."""

SCHEMA_VERSION: Final = len(MIGRATIONS)


def vector_index(dimensions: int) -> str:
    """SurrealDB's own HNSW index, used where the store is a server shared by many
    processes (an embedded store keeps a usearch index beside it instead)."""
    return (
        "DEFINE INDEX IF NOT EXISTS memory_vector ON memory FIELDS embedding "
        f"HNSW DIMENSION {int(dimensions)} DIST COSINE TYPE F32 EFC 150 M 12;"
    )


def text_index() -> str:
    """SurrealDB's own BM25 index, used where the store is a server shared by many
    processes (an embedded store keeps an SQLite FTS5 table beside it instead)."""
    return (
        "DEFINE ANALYZER IF NOT EXISTS memory_words TOKENIZERS class "
        "FILTERS lowercase, snowball(english);"
        "DEFINE INDEX IF NOT EXISTS memory_words ON memory FIELDS content "
        "SEARCH ANALYZER memory_words BM25;"
    )


def drop_text_index() -> str:
    """Removes SurrealDB's BM25 index from an embedded store (stores made before the
    FTS5 table had one): it would cost every write several milliseconds for nothing."""
    return "REMOVE INDEX IF EXISTS memory_words ON memory;"


def drop_vector_index() -> str:
    """Removes SurrealDB's HNSW index (its length is fixed), to be defined again with
    the new length when the store next opens."""
    return "REMOVE INDEX IF EXISTS memory_vector ON memory;"


def migration(version: int, dimensions: int) -> str:
    """The transaction that applies ``MIGRATIONS[version]`` and records the new version."""
    return (
        "BEGIN TRANSACTION;\n"
        + MIGRATIONS[version]
        + f"\nUPSERT {META} MERGE {{ version: {version + 1}, dimensions: {int(dimensions)} }};\n"
        + "COMMIT TRANSACTION;"
    )
