"""``fluent-ai chat``: one prompt, piped stdin, or an interactive session.

Options left out come from the config file (:mod:`fluent_ai.cli.settings`), so a flag
always wins over the file. Everything read from stdin or the command line goes through
:mod:`fluent_ai.cli.inputs` first, so bytes that are not UTF-8 (a Latin-1 ``git diff``)
become U+FFFD with a warning instead of a crash in the HTTP client.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fluent_ai.chat import Conversation
from fluent_ai.cli import settings as config
from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.inputs import argument, read_stdin
from fluent_ai.cli.logs import chat_log
from fluent_ai.cli.routing import route_line
from fluent_ai.cli.session import ChatSession
from fluent_ai.cli.turn import usage_line
from fluent_ai.providers.catalog import DEFAULT_MODEL
from fluent_ai.types import Message


def chat(
    ctx: typer.Context,
    prompt: Annotated[str | None, typer.Argument(help="The prompt. Omit it for a REPL.")] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "-m",
            "--model",
            help=f"provider/model, a config alias, or router:NAME (a router from the router "
            f"config file) [default: config default_model, else {DEFAULT_MODEL}]",
            show_default=False,
        ),
    ] = None,
    system: Annotated[str | None, typer.Option("-s", "--system", help="System prompt.")] = None,
    temperature: Annotated[float | None, typer.Option("-t", "--temperature")] = None,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens")] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Endpoint for openai-compatible/… models.")
    ] = None,
    tool: Annotated[
        list[str] | None,
        typer.Option(
            "--tool",
            help="A tool the model may call, as module:function; the module may be in the "
            "current directory (repeatable).",
        ),
    ] = None,
    context: Annotated[
        list[str] | None,
        typer.Option("--context", help="Files whose text the model gets, as a glob (repeatable)."),
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option("--history", help="Continue a conversation saved with /save."),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the whole response (text, usage, cost, finish) as JSON; errors too.",
        ),
    ] = False,
    usage: Annotated[
        bool,
        typer.Option("--usage", help="After the answer, print its tokens and cost on stderr."),
    ] = False,
    log: Annotated[
        bool,
        typer.Option(
            "--log/--no-log",
            help="Keep each call in the log 'fluent-ai logs' reads (FLUENT_AI_LOGS=0: off).",
        ),
    ] = True,
    router_config: Annotated[
        Path | None,
        typer.Option(
            "--router-config",
            help="The YAML file of -m router:NAME [default: $FLUENT_AI_ROUTER_CONFIG, else "
            "router.yaml beside the config file]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Send a prompt and stream the answer (reads stdin when it is piped)."""
    defaults = config.load()
    system = argument(system, "--system") if system is not None else defaults.system_prompt
    session = ChatSession(
        model=defaults.model(argument(model, "--model") if model else None),
        system=system,
        temperature=temperature if temperature is not None else defaults.temperature,
        max_tokens=max_tokens if max_tokens is not None else defaults.max_tokens,
        base_url=argument(base_url, "--base-url") if base_url else None,
        tools=tool or [],
        context=context or [],
        initial_history=_history(history),
        aliases=defaults.aliases,
        log=chat_log(log, ctx),
        router_config=router_config,
    )
    piped = read_stdin()
    prompt = argument(prompt, "the prompt") if prompt is not None else None
    if piped and prompt:
        text: str | None = f"{prompt}\n\n{piped}"
    else:
        text = prompt or piped
    if text is None or not text.strip():
        if piped is not None:
            raise typer.BadParameter("stdin was empty and no prompt was given")
        from fluent_ai.cli.repl import run_repl  # prompt_toolkit: a third of the start-up

        run_repl(session)
        return
    if json_output:
        reply = asyncio.run(session.send(text))
        print(
            reply.response.model_copy(
                update={"usage": reply.usage, "cost_usd": reply.cost_usd}
            ).model_dump_json(indent=2)
        )
        return
    asyncio.run(_stream(session, text))
    turn = session.last_turn
    routed = route_line(turn.route) if turn is not None else None
    if routed:  # which deployment answered, when a router did
        Console(stderr=True, soft_wrap=True).print(
            routed, style="dim", highlight=False, markup=False
        )
    if usage and turn is not None:
        line = usage_line(turn)
        Console(stderr=True).print(line, style="dim", highlight=False, markup=False)


def _history(path: Path | None) -> list[Message]:
    """The messages of a saved conversation, or one clear error when it cannot be read."""
    if path is None:
        return []
    try:
        return Conversation.load(path).messages
    except FileNotFoundError as exc:
        raise CLIError(
            f"--history {path}: no such file",
            hint="save a conversation with /save FILE in the chat REPL, then pass that file",
        ) from exc
    except OSError as exc:
        raise CLIError(f"--history {path}: cannot read it ({exc.strerror})") from exc


async def _stream(session: ChatSession, text: str) -> None:
    async for piece in session.stream_text(text):
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")
