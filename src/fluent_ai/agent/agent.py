"""A built agent: stream or chat, async or sync, and an interactive loop.

The agent's settings are frozen at build time. It carries one conversation, so
``agent.chat("and summarise it")`` follows what came before; :meth:`Agent.session`
gives a fresh conversation over the same settings, and is the way to serve several
users at once.

An agent owns the model it builds from a spec, and with it the model's connections:
close the agent when done (``async with agent:``, ``await agent.aclose()``, or
``with agent:`` / ``agent.close()`` from sync code). A model given to ``.model(...)``
as an object (a router shared by several agents) stays its owner's to close. Sessions
share the model, so closing any of them closes the shared connections; a model used
again after that opens new ones. A stream is closed as soon as its consumer stops:
leaving ``async for event in agent.stream(...)`` early closes the HTTP response at the
next turn of the event loop (when the generator is collected), and
``contextlib.aclosing(agent.stream(...))`` closes it before the ``async with`` ends.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Iterator
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, cast

from pydantic import BaseModel, ValidationError

from fluent_ai._closing import Closeable
from fluent_ai._sync import iter_sync, run_sync
from fluent_ai.agent.config import AgentConfig
from fluent_ai.agent.errors import OutputValidationError
from fluent_ai.agent.memory import learn_from, now, recall, remember, render_memories
from fluent_ai.agent.output import parse_output
from fluent_ai.agent.run import AgentEvent, OutputT, Reply, call_hook, run
from fluent_ai.types import ChatResponse, Message, TextDelta, Usage

if TYPE_CHECKING:
    from fluent_ai.memory import Hit

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


class Agent(Closeable, Generic[OutputT]):
    """Talk to a model with tools, a templated system prompt and context.

    Generic over its output type: ``FluentAI.agent(...).output(City).build()`` is an
    ``Agent[City]`` whose replies are ``Reply[City]``, so ``reply.output`` is a ``City``
    to a type checker; without ``.output(...)`` it is an ``Agent[None]``.
    """

    def __init__(self, config: AgentConfig, output_type: type[OutputT] | None = None) -> None:
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

    def session(self) -> Agent[OutputT]:
        """The same agent with a fresh conversation (the configured history only)."""
        return Agent(self.config, self.output_type)

    def reset(self) -> None:
        """Forget the conversation, back to the configured history."""
        self.history = list(self.config.history)
        self.provider_history = {}

    async def aclose(self) -> None:
        """Close the model's connections (shared with every session of this agent),
        unless the model was given to the agent rather than built by it."""
        if self.config.owns_model:
            await self.config.model.aclose()

    async def stream(self, message: Input) -> AsyncGenerator[AgentEvent, None]:
        """Stream the answer: model events, and a ``ToolResults`` after each tool step."""
        reply: Reply[Any] = _new_reply()
        started = now()
        async with aclosing(self._stream(message, reply)) as events:
            async for event in events:
                yield event
        await self._remember(message, reply, started)

    async def _stream(
        self,
        message: Input,
        reply: Reply[Any],
        *,
        stream: bool = True,
        memories: list[Hit] | None = None,
    ) -> AsyncGenerator[AgentEvent, None]:
        """One run, the one path every call takes; recalls memories unless given them."""
        user = _message(message)
        reply.memories = await self._recall(user) if memories is None else memories
        block = render_memories(reply.memories) or None
        messages = [*self.history, user]
        carried = {key: list(entries) for key, entries in self.provider_history.items()}
        try:
            async with aclosing(
                run(self.config, messages, reply, stream=stream, carried=carried, memories=block)
            ) as events:
                async for event in events:
                    yield event
        finally:
            self._count(reply)
        self.history, self.provider_history = messages, carried

    async def _recall(self, message: Message) -> list[Hit]:
        """The memories for this message (none without ``.memory(...)``)."""
        settings = self.config.memory
        if settings is None:
            return []
        earlier = (m.text for m in reversed(self.history) if m.role == "user")
        hits = await recall(settings, message.text, next(earlier, ""))
        await call_hook(self.config.callbacks.on_memory, hits)
        return hits

    async def _remember(self, message: Input, reply: Reply[Any], started: datetime) -> None:
        """Store a completed turn and learn its facts; a failure is kept in
        ``reply.memory_error``, not raised. A turn that could not be stored is not
        learned from either: the store is what failed."""
        settings = self.config.memory
        if settings is None:
            return
        text = _message(message).text
        reply.memory_error = await remember(settings, self.name, text, reply.text, started)
        if reply.memory_error is None:
            reply.facts, reply.memory_error = await learn_from(settings, self.name, text)

    def _count(self, reply: Reply[Any]) -> None:
        """Add a run's usage and cost to the totals, even when the run failed part-way."""
        self.usage = self.usage + reply.usage
        if reply.cost_usd is None and reply.steps:
            self.unpriced_replies += 1
        else:
            self.cost_usd += reply.cost_usd or 0.0

    async def _complete(self, message: Input, memories: list[Hit] | None = None) -> Reply[OutputT]:
        # Stream only when someone watches the chunks; otherwise plain requests are cheaper.
        reply: Reply[OutputT] = _new_reply()
        watched = self.config.callbacks.on_chunk is not None
        turn = self._stream(message, reply, stream=watched, memories=memories)
        async with aclosing(turn) as events:
            async for _ in events:
                pass
        return reply

    async def chat(self, message: Input) -> Reply[OutputT]:
        """The whole answer, tools run in between; ``reply.output`` holds structured output."""
        started = now()
        reply = await self._complete(message)
        await self._finish(reply)
        await self._remember(message, reply, started)
        return reply

    async def _finish(self, reply: Reply[OutputT]) -> None:
        """Fill in ``reply.output`` when the agent has an output type."""
        # OutputT is None exactly when there is no output type, so this is a model class.
        if self.output_type is not None:
            await self._parse_output(reply, cast(type[BaseModel], self.output_type))

    async def _parse_output(self, reply: Reply[OutputT], output_type: type[BaseModel]) -> None:
        """Validate the answer as ``output_type``, asking the model once to fix it."""
        try:
            reply.output = cast(OutputT, parse_output(reply.text, output_type))
            return
        except ValidationError as first:
            correction = (
                "Your answer did not match the required JSON schema:\n"
                f"{first}\nReply again with only the corrected JSON."
            )
        # The correction is no new message: the same memories, nothing recalled or stored.
        retry = await self._complete(correction, reply.memories)
        try:
            output = parse_output(retry.text, output_type)
        except ValidationError as second:
            raise OutputValidationError(
                f"the model's answer is not a valid {output_type.__name__} after one "
                f"retry: {second}"
            ) from second
        reply.messages += retry.messages
        reply.usage = reply.usage + retry.usage
        reply.response, reply.output, reply.steps = (
            retry.response,
            cast(OutputT, output),
            reply.steps + retry.steps,
        )

    def stream_sync(self, message: Input) -> Iterator[AgentEvent]:
        """Sync twin of :meth:`stream`."""
        return iter_sync(self.stream(message))

    def chat_sync(self, message: Input) -> Reply[OutputT]:
        """Sync twin of :meth:`chat`."""
        return run_sync(self.chat(message))

    def loop(
        self,
        handler: Callable[[Reply[OutputT]], LoopAction],
        *,
        first: str | None = None,
        read: Callable[[str], str] = input,
        write: Callable[[str], Any] | None = None,
    ) -> None:
        """An interactive loop: after each reply, ``handler`` decides what happens next.

        ``Break`` ends it, ``Reprompt(text)`` sends ``text`` as the next message and
        ``Continue`` reads the next message with ``read`` (end of input also ends it).
        The handler gets each reply as :meth:`chat` returns it, structured output included.
        """
        out = write or _print_piece
        text = first
        while True:
            if text is None:
                try:
                    text = read("> ")
                except EOFError:
                    return
            reply: Reply[OutputT] = _new_reply()
            started = now()
            for event in iter_sync(self._stream(text, reply)):
                if isinstance(event, TextDelta):
                    out(event.text)
            out("\n")
            run_sync(self._finish(reply))
            run_sync(self._remember(text, reply, started))
            action = handler(reply)
            if isinstance(action, Break):
                return
            text = action.text if isinstance(action, Reprompt) else None


def _print_piece(text: str) -> None:
    print(text, end="", flush=True)


def _new_reply() -> Reply[Any]:
    """An empty reply for a run to fill in."""
    return Reply(response=ChatResponse(message=Message(role="assistant", parts=[])))
