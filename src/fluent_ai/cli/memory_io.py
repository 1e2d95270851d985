"""``fluent-ai memory export`` and ``import``: a store as JSON Lines and back.

The format (one memory per line with its vector, then one line per edge, each with a
``"type"``) and why an import gives new ids are described in
:mod:`fluent_ai.memory.transfer`. Both show a progress bar on stderr, so stdout stays
free for ``--json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.inputs import read_file_text
from fluent_ai.cli.memory_common import (
    DEFAULT_EMBEDDER,
    AgentOption,
    EmbedderOption,
    JsonOption,
    SessionOption,
    StoreOption,
    UserOption,
    echo_json,
    progress_bar,
    run_with,
    scope_of,
)

if TYPE_CHECKING:
    from fluent_ai.memory import Memory

FileArgument = Annotated[Path, typer.Argument(metavar="FILE", help="A JSON Lines file.")]


def export(
    file: FileArgument,
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Write every memory (with its vector) and every edge to FILE as JSON Lines."""
    scope = scope_of(user, agent, session)

    async def work(memory: Memory) -> dict[str, Any]:
        found = await memory.stats(scope=scope)
        total = found.memories + sum(found.edges.values()) + sum(found.expired_edges.values())
        counts = {"memory": 0, "edge": 0}
        with progress_bar("exporting", total) as advance, _writing(file) as out:
            async for line in memory.export(scope=scope):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                counts[line["type"]] += 1
                advance()
        return {"store": memory.url, "file": str(file), "memories": counts["memory"]} | {
            "edges": counts["edge"]
        }

    summary = run_with(store, embedder, work)
    _report(summary, "exported", "to", json_output)


def import_file(
    file: FileArgument,
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add the memories and edges in FILE (from export) under new ids.

    --user / --agent / --session set that part of every imported memory's scope."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CLIError(f"cannot read {file}: {exc.strerror or exc}") from exc
    from fluent_ai.memory.transfer import read_jsonl

    lines = read_jsonl(read_file_text(str(file), data))
    scope = scope_of(user, agent, session).fields()
    lines = [line | scope if line.get("type") == "memory" else line for line in lines]
    vectors = [line.get("vector") for line in lines if line.get("type") == "memory"]
    dimensions = len(vectors[0]) if vectors and isinstance(vectors[0], list) else None

    async def work(memory: Memory) -> dict[str, Any]:
        with progress_bar("importing", len(lines)) as advance:
            renamed = await memory.import_lines(lines, on_progress=lambda done, _: advance(done))
        edges = sum(1 for line in lines if line.get("type") == "edge")
        return {"store": memory.url, "file": str(file), "memories": len(renamed)} | {
            "edges": edges,
            "ids": renamed,
        }

    summary = run_with(store, embedder, work, dimensions=dimensions)
    _report(summary, "imported", "into", json_output)


def _report(summary: dict[str, Any], verb: str, preposition: str, json_output: bool) -> None:
    if json_output:
        echo_json(summary)
        return
    typer.echo(
        f"{verb} {summary['memories']} memories and {summary['edges']} edges "
        f"{preposition} {summary['store'] if verb == 'imported' else summary['file']}",
        err=True,
    )


@contextmanager
def _writing(file: Path) -> Iterator[Any]:
    try:
        handle = file.open("w", encoding="utf-8")
    except OSError as exc:
        raise CLIError(f"cannot write {file}: {exc.strerror or exc}") from exc
    with handle:
        yield handle
