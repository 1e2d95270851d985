"""A built agent: stream or chat, async or sync, and an interactive loop.

The agent's settings are frozen at build time. It carries one conversation, so
``agent.chat("and summarise it")`` follows what came before; :meth:`Agent.session`
gives a fresh conversation over the same settings, and is the way to serve several
users at once.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from fluent_ai._sync import iter_sync, run_sync
from fluent_ai.agent.config import AgentConfig
from fluent_ai.agent.errors import OutputValidationError
from fluent_ai.agent.run import AgentEvent, Reply, run
from fluent_ai.types import ChatResponse, Message, TextDelta, Usage

Input = str | Message


@dataclass(frozen=True)
class Break:
    """Loop handler answer: stop the loop."""


@dataclass(frozen=True)
class Continue:
    """Loop handler answer: ask the user for the next message."""


@dataclass(frozen=True)
class Reprompt:
    """Loop handler answer: send ``text`` to the agent as the next message."""

    text: str


LoopAction = Break | Continue | Reprompt


def _message(value: Input) -> Message:
    return value if isinstance(value, Message) else Message.user(value)


class Agent:
    """Talk to a model with tools, a templated system prompt and context."""

    def __init__(self, config: AgentConfig, output_type: type[BaseModel] | None = None) -> None:
        self.config = config
        self.output_type = output_type
        self.history: list[Message] = list(config.history)
        # Provider content the next request must send back verbatim (server-tool blocks,
        # reasoning items): see fluent_ai.providers.history.
        self.provider_history: dict[str, list[Any]] = {}
        # Running totals over every reply (a session total); unpriced replies add no cost.
        self.usage = Usage()
        self.cost_usd = 0.0
        self.unpriced_replies = 0

    def __repr__(self) -> str:
        return f"Agent(name={self.config.name!r}, model={self.config.model_spec!r})"

    @property
    def name(self) -> str:
        return self.config.name

    def session(self) -> Agent:
        """The same agent with a fresh conversation (the configured history only)."""
        return Agent(self.config, self.output_type)

    def reset(self) -> None:
        """Forget the conversation, back to the configured history."""
        self.history = list(self.config.history)
        self.provider_history = {}

    async def stream(self, message: Input) -> AsyncIterator[AgentEvent]:
        """Stream the answer: model events, and a ``ToolResults`` after each tool step."""
        async for event in self._stream(message, Reply(response=_empty())):
            yield event

    async def _stream(
        self, message: Input, reply: Reply, *, stream: bool = True
    ) -> AsyncIterator[AgentEvent]:
        messages = [*self.history, _message(message)]
        carried = {key: list(entries) for key, entries in self.provider_history.items()}
        try:
            async for event in run(self.config, messages, reply, stream=stream, carried=carried):
                yield event
        finally:
            self._count(reply)
        self.history, self.provider_history = messages, carried

    def _count(self, reply: Reply) -> None:
        """Add a run's usage and cost to the totals, even when the run failed part-way."""
        self.usage = self.usage + reply.usage
        if reply.cost_usd is None and reply.steps:
            self.unpriced_replies += 1
        else:
            self.cost_usd += reply.cost_usd or 0.0

    async def _complete(self, message: Input) -> Reply:
        # Stream only when someone watches the chunks; otherwise plain requests are cheaper.
        reply = Reply(response=_empty())
        watched = self.config.callbacks.on_chunk is not None
        async for _ in self._stream(message, reply, stream=watched):
            pass
        return reply

    async def chat(self, message: Input) -> Reply:
        """The whole answer, tools run in between; ``reply.output`` holds structured output."""
        reply = await self._complete(message)
        if self.output_type is not None:
            await self._parse_output(reply, self.output_type)
        return reply

    async def _parse_output(self, reply: Reply, output_type: type[BaseModel]) -> None:
        """Validate the answer as ``output_type``, asking the model once to fix it."""
        try:
            reply.output = output_type.model_validate_json(_json_text(reply.text))
            return
        except ValidationError as first:
            correction = (
                "Your answer did not match the required JSON schema:\n"
                f"{first}\nReply again with only the corrected JSON."
            )
        retry = await self._complete(correction)
        try:
            output = output_type.model_validate_json(_json_text(retry.text))
        except ValidationError as second:
            raise OutputValidationError(
                f"the model's answer is not a valid {output_type.__name__} after one "
                f"retry: {second}"
            ) from second
        reply.messages += retry.messages
        reply.usage = reply.usage + retry.usage
        reply.response, reply.output, reply.steps = (
            retry.response,
            output,
            reply.steps + retry.steps,
        )

    def stream_sync(self, message: Input) -> Iterator[AgentEvent]:
        """Sync twin of :meth:`stream`."""
        return iter_sync(self.stream(message))

    def chat_sync(self, message: Input) -> Reply:
        """Sync twin of :meth:`chat`."""
        return run_sync(self.chat(message))

    def loop(
        self,
        handler: Callable[[Reply], LoopAction],
        *,
        first: str | None = None,
        read: Callable[[str], str] = input,
        write: Callable[[str], Any] | None = None,
    ) -> None:
        """An interactive loop: after each reply, ``handler`` decides what happens next.

        ``Break`` ends it, ``Reprompt(text)`` sends ``text`` as the next message and
        ``Continue`` reads the next message with ``read`` (end of input also ends it).
        """
        out = write or _print_piece
        text = first
        while True:
            if text is None:
                try:
                    text = read("> ")
                except EOFError:
                    return
            reply = Reply(response=_empty())
            for event in iter_sync(self._stream(text, reply)):
                if isinstance(event, TextDelta):
                    out(event.text)
            out("\n")
            action = handler(reply)
            if isinstance(action, Break):
                return
            text = action.text if isinstance(action, Reprompt) else None


def _print_piece(text: str) -> None:
    print(text, end="", flush=True)


def _empty() -> ChatResponse:
    return ChatResponse(message=Message(role="assistant", parts=[]))


def _json_text(text: str) -> str:
    """The JSON in an answer, without the Markdown fence some models wrap it in."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    start = min((i for i in (stripped.find("{"), stripped.find("[")) if i >= 0), default=0)
    candidate = stripped[start:]
    try:
        json.loads(candidate)
    except ValueError:
        return stripped
    return candidate
