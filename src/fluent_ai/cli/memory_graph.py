"""``fluent-ai memory graph``: memories and their current edges as Mermaid or Graphviz DOT.

Mermaid pastes into Markdown (GitHub renders it); DOT is Graphviz's, and ``--png``
renders it with Graphviz's ``dot`` program when it is installed. Node labels are the
memory's content, shortened; edge labels its relation and strength. Content is user
text, so every label is escaped for its format: a quote, a bracket or a ``#`` in a
memory must never end a label early or turn into syntax.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fluent_ai.cli.errors import CLIError
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
    short,
    within,
)

if TYPE_CHECKING:
    from fluent_ai.memory import Edge, Memory, MemoryRecord, Scope


class Format(StrEnum):
    mermaid = "mermaid"
    dot = "dot"


Graph = tuple[list["MemoryRecord"], list["Edge"]]


def graph(
    memory_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="Start here (default: every memory).")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", help="Edges to follow from ID.")] = 2,
    output_format: Annotated[Format, typer.Option("--format", help="Diagram language.")] = (
        Format.mermaid
    ),
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Render a PNG here (needs Graphviz).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many memories.")] = 500,
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Draw memories and their current edges as Mermaid or Graphviz DOT."""
    dot_program = shutil.which("dot") if png is not None else None
    if png is not None and dot_program is None:
        raise CLIError(
            "--png needs Graphviz's dot program, which is not installed",
            hint="install graphviz (apt install graphviz, brew install graphviz, "
            "winget install graphviz), or write --format dot and render it elsewhere",
        )
    scope = scope_of(user, agent, session)

    async def work(memory: Memory) -> Graph:
        if memory_id is None:
            return await _everything(memory, scope, limit)
        return await _around(memory, memory_id, depth, scope, limit)

    nodes, edges = run_with(store, embedder, work)
    text = mermaid(nodes, edges) if output_format is Format.mermaid else dot(nodes, edges)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    if png is not None and dot_program is not None:
        _render(dot_program, dot(nodes, edges), png)
    if json_output:
        from fluent_ai.memory.transfer import edge_line, memory_fields

        echo_json(
            {
                "format": output_format.value,
                "graph": text,
                "output": None if output is None else str(output),
                "png": None if png is None else str(png),
                "nodes": [memory_fields(node) for node in nodes],
                "edges": [edge_line(edge) for edge in edges],
            }
        )
    elif output is None and png is None:
        typer.echo(text, nl=False)


def mermaid(nodes: Sequence[MemoryRecord], edges: Sequence[Edge]) -> str:
    """A Mermaid flowchart; replaced facts drawn dashed."""
    lines = ["flowchart LR"]
    for node in nodes:
        lines.append(f'    m{node.id}["{_mermaid_text(short(node.content))}"]')
        if not node.current:
            lines.append(f"    class m{node.id} invalidated")
    for edge in edges:
        label = _mermaid_text(f"{edge.relation} {edge.strength:.2f}")
        lines.append(f'    m{edge.source} -->|"{label}"| m{edge.target}')
    if any(not node.current for node in nodes):
        lines.append("    classDef invalidated stroke-dasharray: 5 5,color:#888")
    return "\n".join(lines) + "\n"


def dot(nodes: Sequence[MemoryRecord], edges: Sequence[Edge]) -> str:
    """A Graphviz digraph; replaced facts drawn dashed."""
    lines = ["digraph memory {", "    rankdir=LR;", "    node [shape=box];"]
    for node in nodes:
        style = "" if node.current else ", style=dashed"
        lines.append(f'    "m{node.id}" [label="{_dot_text(short(node.content))}"{style}];')
    for edge in edges:
        label = _dot_text(f"{edge.relation} {edge.strength:.2f}")
        lines.append(f'    "m{edge.source}" -> "m{edge.target}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


_MERMAID_ENTITIES = {
    "&": "#amp;",
    '"': "#quot;",
    "#": "#35;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
}


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: its syntax characters as entity codes
    (``#quot;``), which Mermaid turns back into the characters when it draws."""
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in " ".join(text.split()))


def _dot_text(text: str) -> str:
    """Text safe inside a quoted DOT string: backslashes and quotes escaped, one line."""
    return " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')


async def _everything(memory: Memory, scope: Scope, limit: int) -> Graph:
    nodes: list[MemoryRecord] = []
    async for record in memory.memories(scope=scope):
        if len(nodes) == limit:
            typer.echo(f"warning: drawing the first {limit} memories (raise --limit)", err=True)
            break
        nodes.append(record)
    drawn = {node.id for node in nodes}
    edges = [
        edge
        for edge in await memory.all_edges(scope=scope)
        if edge.source in drawn and edge.target in drawn
    ]
    return nodes, edges


async def _around(memory: Memory, start: str, depth: int, scope: Scope, limit: int) -> Graph:
    """The memories up to ``depth`` current edges from ``start``, in ``scope``."""
    first = await memory.get(start)
    if not within(first, scope):
        from fluent_ai.memory import MemoryNotFoundError

        raise MemoryNotFoundError(f"no memory {start} in {memory.url} in that scope")
    nodes = {first.id: first}
    edges: dict[str, Edge] = {}
    frontier = [first.id]
    for _ in range(max(depth, 0)):
        reached: list[str] = []
        for here in frontier:
            for edge in await memory.edges(here):
                there = edge.target if edge.source == here else edge.source
                if there not in nodes:
                    if len(nodes) >= limit:
                        continue
                    record = await memory.get(there)
                    if not within(record, scope):
                        continue
                    nodes[there] = record
                    reached.append(there)
                edges[edge.id] = edge
        frontier = reached
    return list(nodes.values()), sorted(edges.values(), key=lambda edge: edge.recorded_at)


def _render(program: str, text: str, png: Path) -> None:
    try:
        subprocess.run(
            [program, "-Tpng", "-o", str(png)],
            input=text.encode("utf-8"),
            capture_output=True,
            check=True,
            timeout=120,
        )
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode("utf-8", "replace").strip()
        raise CLIError(f"Graphviz could not render {png}: {message}") from exc
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CLIError(f"Graphviz could not render {png}: {exc}") from exc
