"""One exchange as the CLI watches it stream: what it cost, and what to keep if cut short.

The agent commits a turn to its history only when the turn completes, which is right
for a library call that failed. At the terminal, Ctrl-C in the middle of an answer is
different: the user saw part of it and may well say "go on", so the CLI keeps the
interrupted turn. :class:`Turn` follows the agent's events with the same
:class:`~fluent_ai.types.StreamAccumulator` the agent uses, so a kept turn holds
exactly what was said: the user's message, every finished tool step, and the text of
the answer so far followed by a separate :data:`INTERRUPTED` text part. The model sees
the marker too, so it knows its answer was cut off. Half-streamed tool calls and
unsigned thinking are left out: no provider accepts them back.
"""

from __future__ import annotations

from typing import Any

from fluent_ai.agent import ToolResults
from fluent_ai.agent.run import AgentEvent
from fluent_ai.types import (
    Message,
    ProviderData,
    StreamAccumulator,
    TextPart,
    Usage,
    UsageUpdate,
)

INTERRUPTED = "[interrupted by the user]"
"""The last part of an assistant message that Ctrl-C cut short."""


def is_interrupted(message: Message) -> bool:
    """Whether ``message`` is an answer the user interrupted."""
    last = message.parts[-1] if message.parts else None
    return message.role == "assistant" and isinstance(last, TextPart) and last.text == INTERRUPTED


class Turn:
    """The user's message and the events of the answer, as they arrive."""

    def __init__(self, text: str) -> None:
        self.user = Message.user(text)
        self.finished: list[Message] = []
        """Finished tool steps: each assistant message that called tools, and the results."""
        self.usage = Usage()
        self.cost_usd: float | None = 0.0
        """The cost so far; ``None`` once any step used tokens the registry has no price for."""
        self.reported = False
        """Whether the provider reported usage at all: some (the local model) do so only
        at the end of an answer, which an interrupted answer never reaches."""
        self.route: dict[str, Any] | None = None
        """How a router routed the last step (``extra["route"]``); ``None`` from a model."""
        self._step: StreamAccumulator | None = None

    def add(self, event: AgentEvent) -> None:
        if isinstance(event, ToolResults):
            step = self._close()
            if step is not None:
                self.finished.append(step.message())
            self.finished.append(Message(role="tool", parts=list(event.results)))
            return
        if self._step is None:
            self._step = StreamAccumulator()
        self._step.add(event)
        self.reported = self.reported or isinstance(event, UsageUpdate)
        if isinstance(event, ProviderData):
            from fluent_ai.engine.route import ROUTE_KEY  # not at start-up: few answers route

            if isinstance(event.data.get(ROUTE_KEY), dict):
                self.route = event.data[ROUTE_KEY]

    def finish(self) -> None:
        """The answer is complete: count its last step."""
        self._close()

    def interrupted(self) -> list[Message]:
        """The messages to keep for a turn cut short, ending in the marked answer."""
        step = self._close()
        parts = step.message().parts if step is not None else []
        kept = [part for part in parts if isinstance(part, TextPart) and part.text]
        answer = Message(role="assistant", parts=[*kept, TextPart(text=INTERRUPTED)])
        return [self.user, *self.finished, answer]

    def _close(self) -> StreamAccumulator | None:
        step, self._step = self._step, None
        if step is None:
            return None
        self.usage = self.usage + step.usage
        if step.cost_usd is None and step.usage.total_tokens:
            self.cost_usd = None
        elif self.cost_usd is not None:
            self.cost_usd += step.cost_usd or 0.0
        return step


def usage_line(turn: Turn) -> str:
    """``12 input + 34 output tokens · $0.000123``, or ``cost unknown`` without prices."""
    if not turn.reported:
        return "no usage reported (the provider reports it at the end of an answer)"
    usage, cost_usd = turn.usage, turn.cost_usd
    tokens = f"{usage.input_tokens:,} input + {usage.output_tokens:,} output tokens"
    return f"{tokens} · {cost_text(cost_usd)}"


def cost_text(cost_usd: float | None) -> str:
    if cost_usd is None:
        return "cost unknown (no prices for this model)"
    return "$0" if cost_usd == 0 else f"${cost_usd:.6f}"
