"""What every ``fluent-ai memory`` command shares: where the store is, whose memories,
and how a store is opened, run and closed within one command.

The store is ``--store``, else ``memory_store`` in the config file, else
``surrealkv://<user data dir>/memory`` (``~/.local/share/fluent-ai/memory`` on Linux;
``FLUENT_AI_DATA_DIR`` moves it). A data directory, not the cache: memories are what
the user made, and caches are emptied by cleaners.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.text import Text

from fluent_ai.cli.errors import CLIError

if TYPE_CHECKING:
    from fluent_ai.memory import Memory, MemoryRecord, Scope

T = TypeVar("T")

DEFAULT_EMBEDDER = "local/all-minilm-l6-v2"
"""The library's default (``fluent_ai.memory.memory.DEFAULT_EMBEDDER``, a test keeps them
equal), held here so that ``fluent-ai --help`` need not import the memory package: the
CLI loads ``fluent_ai.memory`` and asyncio only when a memory command runs."""

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store address (surrealkv://PATH, ws://HOST:PORT); default: memory_store in "
        "the config file, else the user data directory's memory store.",
    ),
]
EmbedderOption = Annotated[
    str,
    typer.Option("--embedder", help="Embedding model spec, or 'none' for no embedder."),
]
UserOption = Annotated[str | None, typer.Option("--user", help="Scope: this user's memories.")]
AgentOption = Annotated[str | None, typer.Option("--agent", help="Scope: this agent's memories.")]
SessionOption = Annotated[
    str | None, typer.Option("--session", help="Scope: this session's memories.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")]


def default_store() -> str:
    """The store when ``--store`` is not given: the config file's, else the data dir's."""
    from fluent_ai._dirs import data_dir
    from fluent_ai.cli.settings import load

    configured = load().memory_store
    return configured or f"surrealkv://{data_dir() / 'memory'}"


def scope_of(user: str | None, agent: str | None, session: str | None) -> Scope:
    from fluent_ai.memory import Scope

    return Scope(user=user, agent=agent, session=session)


def run_with(
    store: str | None,
    embedder: str,
    work: Callable[[Memory], Awaitable[T]],
    *,
    dimensions: int | None = None,
) -> T:
    """Open the store, run ``work`` on it and close it (saving its index) in one loop."""
    import asyncio

    from fluent_ai.memory import Memory

    url = store or default_store()
    spec = None if embedder.strip().lower() == "none" else embedder

    async def go() -> T:
        async with Memory.open(url, embedder=spec, dimensions=dimensions) as memory:
            return await work(memory)

    return asyncio.run(go())


def moment(text: str | None, option: str) -> datetime | None:
    """An ISO 8601 date or time from ``option`` (a bare date is midnight, UTC)."""
    if text is None:
        return None
    try:
        found = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CLIError(
            f"{option} {text!r} is not an ISO 8601 date or time",
            hint="for example 2026-05-08 or 2026-05-08T13:56:00+02:00",
        ) from exc
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def echo_json(value: Any) -> None:
    """``value`` as one JSON document on stdout (times as ISO 8601)."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=_default))


def _default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def short(text: str, width: int = 40) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def within(record: MemoryRecord, scope: Scope) -> bool:
    """Whether ``record`` is in ``scope``: a scoped command never reaches another's."""
    return all(getattr(record.scope, name) == value for name, value in scope.fields().items())


def text_cell(value: Any) -> Text:
    """A field for a table cell, as plain text: a memory's "[bold]" is not markup."""
    if value is None or value == [] or value == {}:
        return Text("—")
    if isinstance(value, list):
        return Text(", ".join(str(item) for item in value))
    if isinstance(value, dict):
        return Text(json.dumps(value, ensure_ascii=False))
    return Text(str(value))


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Any]:
    """A progress bar on stderr; yields ``advance(to=None, total=None)`` (one step, or
    to a count, with the total when it is learned on the way)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)

        def advance(to: int | None = None, total: int | None = None) -> None:
            if to is None:
                progress.advance(task)
            else:
                progress.update(task, completed=to, total=total or progress.tasks[0].total)

        yield advance
