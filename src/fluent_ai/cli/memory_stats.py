"""``fluent-ai memory stats``: what a store holds, where it is and how big it is on disk."""

from __future__ import annotations

from rich.console import Console
from rich.table import Column, Table

from fluent_ai.cli.memory_common import (
    DEFAULT_EMBEDDER,
    AgentOption,
    EmbedderOption,
    JsonOption,
    SessionOption,
    StoreOption,
    UserOption,
    echo_json,
    run_with,
    scope_of,
    text_cell,
)


def stats(
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Counts by kind and scope, edges by relation, the store's address and size on disk."""
    scope = scope_of(user, agent, session)
    found = run_with(store, embedder, lambda memory: memory.stats(scope=scope))
    scopes = [{**where.fields(), "memories": n} for where, n in found.by_scope]
    if json_output:
        echo_json(
            {
                "store": found.url,
                "size_bytes": found.size_bytes,
                "dimensions": found.dimensions,
                "memories": found.memories,
                "invalidated": found.invalidated,
                "by_kind": found.by_kind,
                "by_scope": scopes,
                "edges": found.edges,
                "expired_edges": found.expired_edges,
            }
        )
        return
    size = "not on this machine" if found.size_bytes is None else _bytes(found.size_bytes)
    console = Console()
    console.print(f"store {found.url} ({size}, {found.dimensions}-dimension vectors)", markup=False)
    console.print(f"{found.memories} memories, {found.invalidated} invalidated", markup=False)
    counts = Table("Kind", Column("Memories", justify="right"))
    for name, n in sorted(found.by_kind.items()):
        counts.add_row(name, str(n))
    console.print(counts)
    owners = Table("User", "Agent", "Session", Column("Memories", justify="right"))
    for where, n in found.by_scope:
        owners.add_row(
            *(text_cell(part) for part in (where.user, where.agent, where.session)), f"{n}"
        )
    console.print(owners)
    links = Table(
        "Relation", Column("Current", justify="right"), Column("Expired", justify="right")
    )
    for name in sorted(set(found.edges) | set(found.expired_edges)):
        links.add_row(name, str(found.edges.get(name, 0)), str(found.expired_edges.get(name, 0)))
    if found.edges or found.expired_edges:
        console.print(links)


def _bytes(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    value, unit = size / 1000, "KB"
    for bigger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"
