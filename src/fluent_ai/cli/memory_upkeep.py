"""``fluent-ai memory reembed`` and ``summarize``: the long jobs that keep a store useful.

``reembed`` moves a store to another embedding model (every vector made again, swapped
in at once; :mod:`fluent_ai.memory.reembed`); ``summarize`` turns old episodes into
facts with a model (:mod:`fluent_ai.memory.summaries`). Both can take minutes, so both
show a progress bar on stderr, leaving stdout for ``--json``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

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
    progress_bar,
    run_with,
    scope_of,
)

if TYPE_CHECKING:
    from fluent_ai.memory import Memory, Summary


def reembed(
    to: Annotated[str, typer.Argument(metavar="EMBEDDER", help="The new embedding model.")],
    store: StoreOption = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Texts per embedding call.")] = 64,
    json_output: JsonOption = False,
) -> None:
    """Embed every memory again with EMBEDDER and use it from now on (one swap at the
    end: stopped half-way, the store keeps its old vectors)."""

    async def work(memory: Memory) -> dict[str, Any]:
        total = (await memory.stats()).memories
        with progress_bar("re-embedding", total) as advance:
            count = await memory.reembed(to, batch=batch, on_progress=lambda done, _: advance(done))
        dimensions = (await memory.stats()).dimensions
        return {"store": memory.url, "embedder": to, "memories": count, "dimensions": dimensions}

    summary = run_with(store, "none", work)
    if json_output:
        echo_json(summary)
        return
    typer.echo(
        f"re-embedded {summary['memories']} memories in {summary['store']} with "
        f"{to} ({summary['dimensions']} dimensions); open it with --embedder {to}",
        err=True,
    )


def summarize(
    model: Annotated[str, typer.Option("--model", "-m", help="The model that summarizes.")],
    older_than: Annotated[
        float, typer.Option("--older-than", help="Only episodes older than this, in days.")
    ] = 1.0,
    store: StoreOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    user: UserOption = None,
    agent: AgentOption = None,
    session: SessionOption = None,
    json_output: JsonOption = False,
) -> None:
    """Turn each day's episodes into facts with MODEL (each fact linked to its episodes)."""
    if older_than < 0:
        raise CLIError(f"--older-than {older_than}: give a number of days, 0 or more")
    scope = scope_of(user, agent, session)

    async def work(memory: Memory) -> list[Summary]:
        with progress_bar("summarizing", 0) as advance:
            return await memory.summarize(
                model,
                scope=scope,
                older_than=timedelta(days=older_than),
                on_summary=lambda _, done, total: advance(done, total),
            )

    summaries = run_with(store, embedder, work)
    if json_output:
        echo_json([_summary_json(summary) for summary in summaries])
        return
    for summary in summaries:
        changes = ", ".join(_change_text(change) for change in summary.changes) or "nothing"
        typer.echo(f"{summary.day} ({len(summary.episodes)} episodes): {changes}")
    typer.echo(f"summarized {len(summaries)} groups of episodes", err=True)


def _change_text(change: Any) -> str:
    said = f" {change.memory.content!r}" if change.memory is not None else ""
    return f"{change.operation}{said}"


def _summary_json(summary: Summary) -> dict[str, Any]:
    return {
        "day": summary.day.isoformat(),
        "scope": summary.scope.fields(),
        "episodes": list(summary.episodes),
        "changes": [
            {
                "operation": change.operation,
                "memory": change.memory.id if change.memory is not None else None,
                "content": change.memory.content if change.memory is not None else None,
                "replaced": change.replaced,
            }
            for change in summary.changes
        ],
    }
