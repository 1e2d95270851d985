"""The interactive chat loop, with line editing and a persistent history file."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory

from fluent_ai.cli.session import ChatSession
from fluent_ai.types import FluentAIError

HELP = """Commands:
  /model NAME   switch model (e.g. /model openai/gpt-4o-mini)
  /system TEXT  set the system prompt
  /clear        forget the conversation
  /help         this text
  /exit         leave (or Ctrl-D)"""


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
    if name == "clear":
        session.history.clear()
        print("conversation cleared")
    elif name == "model" and arg:
        session.use_model(arg)
        print(f"model: {arg}")
    elif name == "system":
        session.system = arg or None
        print("system prompt set" if arg else "system prompt cleared")
    else:
        print(HELP)
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
            line = prompt.prompt("> ").strip()
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
        except KeyboardInterrupt:
            print("\n(interrupted)")
