"""The REPL's commands, and Ctrl-C in the middle of a streamed answer."""

from __future__ import annotations

import asyncio
import io
import signal
from pathlib import Path

import pytest

from fluent_ai.chat import Conversation
from fluent_ai.cli.repl import COMMANDS, _command, _loop
from fluent_ai.cli.session import ChatSession
from fluent_ai.cli.turn import INTERRUPTED, is_interrupted
from fluent_ai.types import Message, TextPart
from tests.unit.cli.gated import gated_server

MODEL = "anthropic/claude-sonnet-4-5"


def test_model_without_a_name_shows_the_current_model(capsys: pytest.CaptureFixture[str]) -> None:
    session = ChatSession(model=MODEL)
    assert _command(session, "/model")
    assert capsys.readouterr().out == f"model: {MODEL}\n"
    assert session.model == MODEL


def test_model_switch_resolves_a_config_alias(capsys: pytest.CaptureFixture[str]) -> None:
    session = ChatSession(model="local/smollm2", aliases={"sonnet": MODEL})
    assert _command(session, "/model sonnet")
    assert session.model == MODEL
    assert capsys.readouterr().out == f"model: {MODEL}\n"


def test_an_unknown_command_says_so_and_lists_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _command(ChatSession(model=MODEL), "/modle gpt")
    out = capsys.readouterr().out
    assert out.startswith("unknown command /modle; commands: ")
    assert all(f"/{name}" in out for name in COMMANDS)
    assert "Commands:" not in out  # not the whole help text


def test_a_command_missing_its_file_gives_its_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert _command(ChatSession(model=MODEL), "/save")
    assert capsys.readouterr().out == "usage: /save FILE\n"


def test_usage_toggles(capsys: pytest.CaptureFixture[str]) -> None:
    session = ChatSession(model=MODEL)
    assert session.show_usage
    assert _command(session, "/usage")
    assert not session.show_usage
    assert _command(session, "/usage")
    assert session.show_usage
    assert capsys.readouterr().out.splitlines() == [
        "usage after each answer: off",
        "usage after each answer: on",
    ]


def test_a_cancelled_answer_stays_in_history_marked_interrupted() -> None:
    """Cancelling the task is what asyncio does on Ctrl-C."""
    earlier = [Message.user("ping"), Message.assistant("pong")]
    with gated_server() as server:
        session = ChatSession(model=MODEL, base_url=server.base_url, initial_history=earlier)
        pieces: list[str] = []

        async def consume() -> None:
            async for piece in session.stream_text("How do I cross the street?"):
                pieces.append(piece)
                if "".join(pieces) == server.sent_text:
                    task = asyncio.current_task()
                    assert task is not None
                    task.cancel()

        with pytest.raises(asyncio.CancelledError):
            asyncio.run(consume())
    user, answer = session.history[2:]
    assert session.history[:2] == earlier
    assert user == Message.user("How do I cross the street?")
    assert answer.parts == [TextPart(text=server.sent_text), TextPart(text=INTERRUPTED)]
    assert is_interrupted(answer)
    turn = session.last_turn
    assert turn is not None
    assert turn.usage.input_tokens > 0  # Anthropic reports the prompt's tokens first


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_in_the_repl_keeps_the_turn_and_the_loop_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "chat.json"
    lines = iter(["How do I cross the street?", f"/save {saved}"])

    class Prompt:
        def prompt(self, text: str) -> str:
            try:
                return next(lines)
            except StopIteration:
                raise EOFError from None

    class Terminal(io.StringIO):
        """Stdout that presses Ctrl-C (a real SIGINT) once the first words are shown."""

        sent = ""

        def write(self, text: str) -> int:
            written = super().write(text)
            if self.sent and self.getvalue().endswith(self.sent):
                self.sent = ""
                signal.raise_signal(signal.SIGINT)
            return written

    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    with gated_server() as server:
        terminal.sent = server.sent_text
        session = ChatSession(model=MODEL, base_url=server.base_url)
        with asyncio.Runner() as runner:
            _loop(session, Prompt(), runner)  # type: ignore[arg-type]
    out = terminal.getvalue()
    assert "(stopped: the answer so far stays in the conversation" in out
    assert f"saved 2 messages to {saved}" in out
    assert "43 input + 1 output tokens · $" in out  # message_start: the prompt, 1 token so far
    answer = Conversation.load(saved).messages[-1]
    assert answer.text == server.sent_text + INTERRUPTED
    assert is_interrupted(answer)
