"""``fluent-ai chat``: one prompt, piped stdin, or an interactive session."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from fluent_ai.chat import Conversation
from fluent_ai.cli.session import ChatSession
from fluent_ai.providers.catalog import DEFAULT_MODEL


def chat(
    prompt: Annotated[str | None, typer.Argument(help="The prompt. Omit it for a REPL.")] = None,
    model: Annotated[
        str, typer.Option("-m", "--model", help="provider/model, e.g. openai/gpt-4o-mini")
    ] = DEFAULT_MODEL,
    system: Annotated[str | None, typer.Option("-s", "--system", help="System prompt.")] = None,
    temperature: Annotated[float | None, typer.Option("-t", "--temperature")] = None,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens")] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Endpoint for openai-compatible/… models.")
    ] = None,
    tool: Annotated[
        list[str] | None,
        typer.Option("--tool", help="A tool the model may call, as module:function (repeatable)."),
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
        typer.Option("--json", help="Print the whole response (text, usage, finish) as JSON."),
    ] = False,
) -> None:
    """Send a prompt and stream the answer (reads stdin when it is piped)."""
    session = ChatSession(
        model=model,
        system=system,
        temperature=temperature,
        max_tokens=max_tokens,
        base_url=base_url,
        tools=tool or [],
        context=context or [],
        initial_history=Conversation.load(history).messages if history else [],
    )
    piped = None if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
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


async def _stream(session: ChatSession, text: str) -> None:
    async for piece in session.stream_text(text):
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")
