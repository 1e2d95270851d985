"""The interactive chat loop, with line editing and a persistent history file."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory
from rich.console import Console

from fluent_ai.chat import Conversation
from fluent_ai.cli.inputs import argument
from fluent_ai.cli.routing import route_line
from fluent_ai.cli.session import ChatSession
from fluent_ai.cli.turn import INTERRUPTED, cost_text, usage_line
from fluent_ai.types import FluentAIError

HELP = """Commands:
  /model [NAME]  show the model, or switch to NAME keeping the conversation
                 (e.g. /model openai/gpt-4o-mini, or an alias from fluent-ai config)
  /system TEXT   set the system prompt (a template: {{ date }} works)
  /tools         list the tools the model may call
  /usage         hide or show the tokens and cost line after each answer
  /save FILE     save the conversation as JSON (load it again with --history FILE)
  /export FILE   export as .json, .jsonl, .md or .html, by the file's extension
  /clear         forget the conversation
  /help          this text
  /exit          leave (or Ctrl-D)
Ctrl-C stops an answer; what arrived stays in the conversation, marked interrupted."""

COMMANDS = ("model", "system", "tools", "usage", "save", "export", "clear", "help", "exit")
NEEDS_ARGUMENT = {"save": "/save FILE", "export": "/export FILE"}

EXPORTS = {".json": "to_json", ".jsonl": "to_jsonl", ".md": "to_markdown", ".html": "to_html"}


def _conversation(session: ChatSession) -> Conversation:
    return Conversation(system=session.system, messages=list(session.history))


def _export(session: ChatSession, arg: str) -> None:
    path = Path(arg).expanduser()
    method = EXPORTS.get(path.suffix.lower())
    if method is None:
        print(
            f"cannot export to {path.suffix or 'a file without extension'}: use .json, "
            ".jsonl, .md or .html"
        )
        return
    path.write_text(getattr(_conversation(session), method)(), encoding="utf-8")
    print(f"exported {len(session.history)} messages to {path}")


def _list_tools(session: ChatSession) -> None:
    executor = session.agent.config.executor
    if executor is None:
        print("no tools (add some with --tool module:function)")
        return
    for found in executor.tools.values():
        print(f"  {found.name}: {found.description or '(no description)'}")


def history_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    path = Path(base) / "fluent-ai" / "chat_history"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _command(session: ChatSession, line: str) -> bool:
    """Run a slash command; False means leave the loop."""
    name, _, arg = line[1:].partition(" ")
    arg = arg.strip()
    if name in ("exit", "quit"):
        return False
    if name in NEEDS_ARGUMENT and not arg:
        print(f"usage: {NEEDS_ARGUMENT[name]}")
    elif name == "clear":
        session.clear()
        print("conversation cleared")
    elif name == "model":
        if arg:
            session.change(model=session.resolve(arg))
        print(f"model: {session.model}")
    elif name == "system":
        session.change(system=arg or None)
        print("system prompt set" if arg else "system prompt cleared")
    elif name == "tools":
        _list_tools(session)
    elif name == "usage":
        session.show_usage = not session.show_usage
        print(f"usage after each answer: {'on' if session.show_usage else 'off'}")
    elif name == "save":
        _conversation(session).save(Path(arg).expanduser())
        print(f"saved {len(session.history)} messages to {arg}")
    elif name == "export":
        _export(session, arg)
    elif name == "help":
        print(HELP)
    else:
        known = ", ".join(f"/{command}" for command in COMMANDS)
        print(f"unknown command /{name}; commands: {known} (/help explains them)")
    return True


async def _answer(session: ChatSession, line: str) -> None:
    async for piece in session.stream_text(line):
        print(piece, end="", flush=True)
    print()


def run_repl(session: ChatSession) -> None:
    """Read prompts until /exit or Ctrl-D; errors are shown and the loop goes on."""
    prompt: PromptSession[str] = PromptSession(history=FileHistory(str(history_path())))
    print(f"fluent-ai chat with {session.model} — /help for commands, Ctrl-D to leave")
    # One event loop for the whole session, so pooled connections stay usable.
    with asyncio.Runner() as runner:
        _loop(session, prompt, runner)


def _loop(session: ChatSession, prompt: PromptSession[str], runner: asyncio.Runner) -> None:
    while True:
        try:
            # Terminal input that is not UTF-8 arrives as surrogates: made safe here.
            line = argument(prompt.prompt("> "), "your input").strip()
        except EOFError:
            return
        except KeyboardInterrupt:
            continue
        if not line:
            continue
        if line.startswith("/"):
            try:
                if not _command(session, line):
                    return
            except FluentAIError as exc:
                print(f"error: {exc}")
            continue
        try:
            runner.run(_answer(session, line))
        except FluentAIError as exc:
            print(f"error: {exc}")
            continue
        except KeyboardInterrupt:
            print(
                f"\n(stopped: the answer so far stays in the conversation, ending in {INTERRUPTED})"
            )
        _show_usage(session)


def _show_usage(session: ChatSession) -> None:
    """The dim lines after an answer: which deployment answered (through a router), its
    tokens and cost, and the session's so far."""
    turn = session.last_turn
    routed = route_line(turn.route) if turn is not None else None
    if routed:
        Console(soft_wrap=True).print(routed, style="dim", highlight=False, markup=False)
    if not session.show_usage or turn is None:
        return
    total = session.total_usage.total_tokens
    line = f"{usage_line(turn)} · session: {total:,} tokens, {cost_text(session.total_cost_usd)}"
    Console().print(line, style="dim", highlight=False, markup=False)
