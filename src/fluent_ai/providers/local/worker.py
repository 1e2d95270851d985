"""Run a generation on its own thread and stream its text into the event loop.

Generating is seconds of CPU work in torch, which would freeze the event loop if run
on it. Each generation gets a thread; its text crosses back with
``loop.call_soon_threadsafe`` into an :class:`asyncio.Queue`, so the loop never blocks.

Stopping is cooperative: :meth:`Generation.stop` sets an event the model checks after
every token, then awaits the thread's own "finished" signal before joining it, so the
join returns at once and a cancelled or abandoned stream leaves no thread behind.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from fluent_ai.providers.local.loader import LocalModel
from fluent_ai.providers.local.prompt import TemplateMessage
from fluent_ai.providers.local.sampling import GenerationOptions
from fluent_ai.types import FluentAIError, LocalModelError

if TYPE_CHECKING:
    from fluent_ai.providers.local.constraint import Constraint
    from fluent_ai.providers.local.generate import Outcome

THREAD_NAME = "fluent-ai-local-generate"

# what the thread sends: a piece of text, the final Outcome, or the error that ended it
Kind = Literal["text", "done", "error"]


class Generation:
    """One generation: :meth:`start` it, read :meth:`next_piece`, always :meth:`stop` it.

    Once :meth:`next_piece` returns ``None``, ``outcome`` holds the token counts and the
    finish reason. An error that ended the thread is raised from :meth:`next_piece`.
    """

    def __init__(
        self,
        local: LocalModel,
        messages: list[TemplateMessage],
        options: GenerationOptions,
        constraint: Constraint | None = None,
    ) -> None:
        self._local = local
        self._constraint = constraint
        self._messages = messages
        self._options = options
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[tuple[Kind, Any]] = asyncio.Queue()
        self._finished: asyncio.Future[None] = self._loop.create_future()
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self.outcome: Outcome | None = None

    def start(self) -> None:
        self._thread.start()

    async def next_piece(self) -> str | None:
        """The next piece of the answer's text, or ``None`` once the answer is complete."""
        kind, value = await self._queue.get()
        if kind == "text":
            return str(value)
        if kind == "done":
            self.outcome = value
            return None
        raise value

    async def stop(self) -> None:
        """Make the model stop after its current token and wait for the thread to end."""
        self._halt.set()
        if self._thread.ident is None:
            return
        # shielded: a second cancellation must not cancel the signal the thread will set
        await asyncio.shield(self._finished)
        self._thread.join()

    def _run(self) -> None:
        try:
            with self._local.lock:
                if self._halt.is_set():
                    return
                from fluent_ai.providers.local.generate import run_generation

                outcome = run_generation(
                    self._local,
                    self._messages,
                    self._options,
                    self._send_text,
                    self._halt,
                    self._constraint,
                )
            self._send("done", outcome)
        except FluentAIError as exc:
            self._send("error", exc)
        except Exception as exc:
            error = LocalModelError(
                f"generation failed: {type(exc).__name__}: {exc}", provider="local"
            )
            error.__cause__ = exc
            self._send("error", error)
        finally:
            self._call(self._mark_finished)

    def _send_text(self, text: str) -> None:
        self._send("text", text)

    def _send(self, kind: Kind, value: Any) -> None:
        self._call(self._queue.put_nowait, (kind, value))

    def _call(self, function: Callable[..., object], *args: object) -> None:
        try:
            self._loop.call_soon_threadsafe(function, *args)
        except RuntimeError:
            # the event loop is closed: nobody is listening, so stop generating
            self._halt.set()

    def _mark_finished(self) -> None:
        if not self._finished.done():
            self._finished.set_result(None)
