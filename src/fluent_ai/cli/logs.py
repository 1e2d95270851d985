"""``fluent-ai logs``: look back at the calls ``fluent-ai chat`` made (like ``llm logs``).

``fluent-ai chat`` writes every call to a SQLite log in fluent-ai's data directory
(:class:`~fluent_ai.engine.calllog.CallLog`) unless ``--no-log`` is given or
``FLUENT_AI_LOGS=0`` is set. This module reads it: ``list`` the latest calls, ``show``
one whole, ``search`` prompts and answers (SQLite FTS5), each as a table or ``--json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from fluent_ai.cli.errors import CLIError

if TYPE_CHECKING:  # the engine is imported when a command runs, not when the CLI starts
    from fluent_ai.engine.calllog import CallLog, LoggedCall

LOGS_ENV = "FLUENT_AI_LOGS"
"""``0`` (or ``false``, ``no``, ``off``) turns the chat's call log off."""

_OFF = frozenset({"0", "false", "no", "off"})

app = typer.Typer(
    name="logs",
    help="The calls fluent-ai chat made: prompts, answers, tokens, cost, latency.",
    invoke_without_command=True,
)

PathOption = Annotated[
    Path | None,
    typer.Option("--path", help="The log file [default: logs.sqlite3 in the data directory]."),
]
CountOption = Annotated[int, typer.Option("-n", "--count", min=1, help="How many calls.")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON: every field of each call.")]


def chat_log(enabled: bool, command: typer.Context) -> CallLog | None:
    """The log ``fluent-ai chat`` writes to, ``None`` with ``--no-log`` or ``FLUENT_AI_LOGS=0``.

    It is closed (what is queued written, the writer stopped) when ``command`` ends, so
    every call is on disk when ``fluent-ai chat`` returns.
    """
    if not enabled or os.environ.get(LOGS_ENV, "").strip().lower() in _OFF:
        return None
    from fluent_ai.engine.calllog import CallLog

    log = CallLog()
    command.call_on_close(log.close)
    return log


def _open(path: Path | None) -> CallLog:
    from fluent_ai.engine.calllog import CallLog

    log = CallLog(path)
    if path is not None and not log.path.exists():
        raise CLIError(f"--path {path}: no such file", hint="pass the path of a call log")
    return log


@app.callback()
def logs(
    ctx: typer.Context,
    count: CountOption = 10,
    json_output: JsonOption = False,
    path: PathOption = None,
) -> None:
    """The latest calls (the same as ``fluent-ai logs list``)."""
    if ctx.invoked_subcommand is None:
        list_calls(count=count, json_output=json_output, path=path)


@app.command("list")
def list_calls(
    count: CountOption = 10, json_output: JsonOption = False, path: PathOption = None
) -> None:
    """The latest calls, newest first."""
    _print(_open(path).recent(count), json_output, empty="no calls logged yet")


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Words that must all be in the prompt or answer.")],
    count: CountOption = 10,
    json_output: JsonOption = False,
    path: PathOption = None,
) -> None:
    """Calls whose prompt or answer has every word of TEXT, best match first."""
    _print(_open(path).search(text, count), json_output, empty=f"no call matches {text!r}")


@app.command("show")
def show(
    id: Annotated[int, typer.Argument(help="The call's id, as list and search show it.")],
    json_output: JsonOption = False,
    path: PathOption = None,
) -> None:
    """One call whole: its settings, every message of the prompt, and the answer."""
    log = _open(path)
    call = log.get(id)
    if call is None:
        raise CLIError(f"no call {id} in {log.path}", hint="'fluent-ai logs list' shows the ids")
    if json_output:
        typer.echo(json.dumps(call.as_dict(), indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    console.print(f"Call {call.id}  {call.time}  {_who(call)}", style="bold", markup=False)
    facts = [f"{_tokens(call)} tokens", _cost(call.cost_usd), f"{call.latency_ms:,.0f} ms"]
    if call.conversation:
        facts.append(f"conversation {call.conversation}")
    console.print(" · ".join(facts), markup=False)
    if call.settings:
        console.print("settings: " + json.dumps(call.settings), markup=False)
    if call.system:
        console.rule("system")
        console.print(call.system, markup=False)
    for message in call.messages:
        console.rule(message["role"])
        console.print(_message_text(message), markup=False)
    console.rule("answer" if call.outcome == "ok" else f"answer ({call.outcome})")
    if call.answer:
        console.print(call.answer, markup=False)
    if call.error:
        console.print(f"{call.error_type}: {call.error}", markup=False, style="red")


def _print(calls: list[LoggedCall], json_output: bool, *, empty: str) -> None:
    if json_output:
        typer.echo(json.dumps([c.as_dict() for c in calls], indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    if not calls:
        console.print(empty)
        return
    rows = [
        (
            str(call.id),
            call.time[5:16].replace("T", " "),
            _who(call),
            _tokens(call),
            _cost(call.cost_usd),
            f"{call.latency_ms / 1000:.2f} s",
        )
        for call in calls
    ]
    headers = ("Id", "Time (UTC)", "Model", "Tokens", "Cost", "Latency")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    # The prompt gets what the other columns leave: each is padded by a space a side and
    # set off from the next by one more.
    room = max(12, console.width - sum(widths) - 3 * len(headers) - 2)
    table = Table(
        *(Column(h, min_width=w, justify="left" if h in ("Time (UTC)", "Model") else "right")
          for h, w in zip(headers, widths, strict=True)),
        Column("Prompt", no_wrap=True, overflow="ellipsis"),
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )  # fmt: skip
    for call, row in zip(calls, rows, strict=True):
        # Text: a prompt's or a model's [brackets] are text, never rich markup.
        table.add_row(*(Text(cell) for cell in row), Text(_preview(call, room)))
    console.print(table)


def _who(call: LoggedCall) -> str:
    model = f"{call.provider}/{call.model}"
    return f"{model} ({call.deployment})" if call.deployment else model


def _tokens(call: LoggedCall) -> str:
    return f"{call.input_tokens:,} + {call.output_tokens:,}"


def _cost(value: float | None) -> str:
    return "—" if value is None else f"${value:.6f}"


def _preview(call: LoggedCall, width: int) -> str:
    """The prompt's first words, on one line of at most ``width`` characters."""
    text = " ".join(call.prompt.split())
    if call.outcome != "ok":
        text = f"[{call.error_type or call.outcome}] {text}"
    return text if len(text) <= width else text[: width - 1] + "…"


def _message_text(message: dict[str, object]) -> str:
    """A logged message as a person reads it: text as it is, anything else in brackets."""
    pieces: list[str] = []
    parts = message.get("parts")
    for part in parts if isinstance(parts, list) else []:
        kind = part.get("type")
        if kind == "text":
            pieces.append(str(part.get("text", "")))
        elif kind == "tool_call":
            pieces.append(f"[tool call {part.get('name')}({part.get('arguments')})]")
        elif kind == "tool_result":
            pieces.append(f"[tool result {part.get('name') or ''}: {part.get('content')}]")
        elif kind == "thinking":
            pieces.append(f"[thinking: {part.get('text', '')}]")
        else:
            pieces.append(f"[{kind}: {part.get('url') or part.get('data')}]")
    return "\n".join(pieces)
