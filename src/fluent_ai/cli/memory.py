"""``fluent-ai memory``: add, search, show, forget and count long-term memories.

A thin layer over :class:`fluent_ai.memory.Memory`: each command opens the store, does
one thing and closes it (saving the vector index). Where the store is and the options
every command shares are in :mod:`fluent_ai.cli.memory_common`; export / import and
graph drawing in their own modules.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.inputs import argument, stdin_text
from fluent_ai.cli.memory_common import (
    DEFAULT_EMBEDDER,
    AgentOption,
    EmbedderOption,
    JsonOption,
    SessionOption,
    StoreOption,
    UserOption,
    echo_json,
    moment,
    run_with,
    scope_of,
    text_cell,
    within,
)
from fluent_ai.cli.memory_graph import graph
from fluent_ai.cli.memory_io import export, import_file
from fluent_ai.cli.memory_stats import stats
from fluent_ai.cli.memory_upkeep import reembed, summarize

if TYPE_CHECKING:
    from fluent_ai.memory import Edge, Memory, MemoryRecord, Scope

app = typer.Typer(
    name="memory",
    help="Long-term memory: add, search, show, graph, forget, stats, export, import.",
    no_args_is_help=True,
)


class Kind(StrEnum):
    """The memory kinds (:data:`~fluent_ai.memory.MEMORY_KINDS`), as typer needs an enum."""

    episodic = "episodic"
    semantic = "semantic"
    procedural = "procedural"
    working = "working"


SCORE_COLUMNS = ("Score", "Vector", "Text", "Graph")


class Mode(StrEnum):
    hybrid = "hybrid"
    vector = "vector"
    text = "text"


@app.command("add")
def add(
    text: Annotated[str, typer.Argument(help="What to remember; '-' reads stdin.")],
    kind: Annotated[Kind, typer.Option("--kind", help="What it is.")] = Kind.episodic,
    importance: Annotated[float, typer.Option("--importance", help="From 0 to 1.")] = 0.5,
    tags: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where it came from.")] = None,
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Remember TEXT; prints the new memory's id."""
    content = stdin_text() if text == "-" else argument(text, "the text")

    async def work(memory: Memory) -> MemoryRecord:
        return await memory.add(
            content,
            kind=kind.value,
            scope=scope_of(user, agent, session),
            importance=importance,
            tags=tags or (),
            source=source,
        )

    record = run_with(store, embedder, work)
    if json_output:
        echo_json(_fields(record))
        return
    typer.echo(record.id)


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 10,
    mode: Annotated[Mode, typer.Option("--mode", help="By meaning, words, or both.")] = Mode.hybrid,
    since: Annotated[str | None, typer.Option("--since", help="Made at or after (ISO).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Made before (ISO).")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="What was believed then (ISO).")
    ] = None,
    expand: Annotated[int, typer.Option("--expand", help="Follow edges N steps.")] = 0,
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """The memories that best match QUERY, each with the score of every signal."""
    options: dict[str, Any] = {
        "k": k,
        "mode": mode.value,
        "scope": scope_of(user, agent, session),
        "since": moment(since, "--since"),
        "until": moment(until, "--until"),
        "as_of": moment(as_of, "--as-of"),
        "expand": expand,
    }
    text = argument(query, "the query")
    hits = run_with(store, embedder, lambda memory: memory.search(text, **options))
    if json_output:
        echo_json(
            [
                {"rank": n, "score": hit.score, "scores": hit.scores, "ranks": hit.ranks}
                | {"memory": _fields(hit.memory)}
                for n, hit in enumerate(hits, start=1)
            ]
        )
        return
    # Kind and creation date head the memory's cell, not columns of their own, and
    # borders are light: that leaves the content room in an 80-column terminal.
    table = Table(
        Column("#", justify="right"),
        Column("Id", no_wrap=True),
        *(Column(name, justify="right", no_wrap=True) for name in SCORE_COLUMNS),
        Column("Memory", overflow="fold", ratio=1),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for n, hit in enumerate(hits, start=1):
        found = hit.memory
        table.add_row(
            str(n),
            found.id,
            f"{hit.score:.3f}",
            *(_score(hit.scores.get(signal)) for signal in ("vector", "text", "graph")),
            Text.assemble((f"{found.kind} · {found.created_at:%Y-%m-%d}\n", "dim"), found.content),
        )
    Console().print(table)


@app.command("show")
def show(
    memory_id: Annotated[str, typer.Argument(metavar="ID", help="A memory id.")],
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Every field of one memory, and its edges (expired ones too)."""
    scope = scope_of(user, agent, session)

    async def work(memory: Memory) -> tuple[MemoryRecord, list[dict[str, Any]]]:
        record = await _in_scope(memory, memory_id, scope)
        edges = await memory.edges(record.id, include_expired=True)
        return record, [_edge(edge) for edge in edges]

    record, edges = run_with(store, embedder, work)
    fields = _fields(record)
    if json_output:
        echo_json({"memory": fields, "edges": edges})
        return
    table = Table("Field", Column("Value", overflow="fold"), title=f"memory {record.id}")
    for name, value in fields.items():
        table.add_row(name, text_cell(value))
    console = Console()
    console.print(table)
    if edges:
        listed = Table("Relation", "From", "To", "Strength", "Valid from", "Valid to", "Expired")
        for edge in edges:
            listed.add_row(
                *(text_cell(edge[name]) for name in ("relation", "source", "target")),
                f"{edge['strength']:.2f}",
                *(text_cell(edge[name]) for name in ("valid_from", "valid_to", "expired_at")),
            )
        console.print(listed)


@app.command("forget")
def forget(
    memory_id: Annotated[str, typer.Argument(metavar="ID", help="A memory id.")],
    delete: Annotated[
        bool, typer.Option("--delete", help="Erase it and its edges for good.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before --delete.")] = False,
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Mark a memory as no longer true (kept for --as-of searches); --delete erases it."""
    if delete and not yes:
        if json_output:
            raise CLIError("--delete erases for good and asks first", hint="add --yes with --json")
        typer.confirm(f"Erase memory {memory_id} and its edges for good?", abort=True)
    scope = scope_of(user, agent, session)

    async def work(memory: Memory) -> MemoryRecord | None:
        found = await _in_scope(memory, memory_id, scope)
        if delete:
            await memory.delete(memory_id)
            return None
        if found.valid_until is not None:
            # Invalidating again would move the time it stopped holding, which --as-of reads.
            raise CLIError(
                f"memory {memory_id} was invalidated already, at {found.valid_until.isoformat()}",
                hint="to erase it, use fluent-ai memory forget ID --delete",
            )
        return await memory.invalidate(memory_id)

    record = run_with(store, embedder, work)
    action = "deleted" if delete else "invalidated"
    if json_output:
        echo_json({"id": memory_id, action: True} | ({"memory": _fields(record)} if record else {}))
        return
    typer.echo(f"{action} {memory_id}")


# The other modules' commands, after these so that --help lists them in the issue's order.
app.command("graph")(graph)
app.command("stats")(stats)
app.command("export")(export)
app.command("import")(import_file)
app.command("reembed")(reembed)
app.command("summarize")(summarize)


async def _in_scope(memory: Memory, memory_id: str, scope: Scope) -> MemoryRecord:
    """The memory, which must be in ``scope``."""
    record = await memory.get(memory_id)
    if not within(record, scope):
        from fluent_ai.memory import MemoryNotFoundError

        raise MemoryNotFoundError(f"no memory {memory_id} in {memory.url} in that scope")
    return record


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _fields(record: MemoryRecord) -> dict[str, Any]:
    from fluent_ai.memory.transfer import memory_fields

    return memory_fields(record)


def _edge(edge: Edge) -> dict[str, Any]:
    from fluent_ai.memory.transfer import edge_line

    return edge_line(edge)
