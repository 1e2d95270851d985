"""A conversation held by the CLI: an agent built from the command-line options.

The CLI is a thin layer: ``chat`` and the REPL drive a real :class:`~fluent_ai.Agent`,
rebuilt (keeping the conversation) when ``/model`` or ``/system`` changes a setting.
Each answer is followed as a :class:`~fluent_ai.cli.turn.Turn`, for its tokens and
cost and so that an answer cut short by Ctrl-C stays in the conversation.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import os
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from fluent_ai.agent import Agent, FluentAI, Reply, ToolResults
from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.routing import is_router, open_router
from fluent_ai.cli.turn import Turn
from fluent_ai.types import ConfigurationError, FluentAIError, Message, TextDelta, Usage

if TYPE_CHECKING:
    from fluent_ai.engine.calllog import CallLog


def load_tool(spec: str) -> Callable[..., Any]:
    """``package.module:function`` → the function, with a clear error when it is not there.

    The module may sit in the current directory, as a user's own ``tools.py`` usually
    does: an installed ``fluent-ai`` script does not have the current directory on
    ``sys.path``, so it is put there for this import only (the user asked for this
    module, not for every name in the directory to shadow what is installed).
    """
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ConfigurationError(f"--tool {spec!r} should be written module:function")
    here = os.getcwd()
    added = here not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(
            f"--tool {spec!r}: cannot import {module_name} (looked in {here} and the "
            f"installed packages): {exc}"
        ) from exc
    finally:
        if added:
            sys.path.remove(here)
    found = getattr(module, attribute, None)
    if not callable(found):
        raise ConfigurationError(f"--tool {spec!r}: {module_name} has no function {attribute!r}")
    return cast("Callable[..., Any]", found)


@dataclass
class ChatSession:
    model: str
    system: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    base_url: str | None = None
    tools: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    initial_history: list[Message] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    router_config: Path | None = None
    """The router config file for ``router:NAME`` models (:mod:`fluent_ai.cli.routing`)."""
    show_usage: bool = True
    """Whether the REPL prints a dim usage line after each answer (``/usage`` toggles it)."""
    log: CallLog | None = None
    """Where each call is logged (``fluent-ai logs``), or ``None``."""
    conversation: str = field(default_factory=lambda: uuid.uuid4().hex)
    """This session's id in the call log."""
    last_turn: Turn | None = None
    total_usage: Usage = field(default_factory=Usage)
    total_cost_usd: float | None = 0.0
    _agent: Agent | None = None
    _routers: dict[str, Any] = field(default_factory=dict)

    @property
    def agent(self) -> Agent:
        if self._agent is None:
            self._agent = self._build(self.initial_history)
        return self._agent

    @property
    def history(self) -> list[Message]:
        return self._agent.history if self._agent is not None else []

    def _build(self, history: list[Message]) -> Agent:
        from fluent_ai.context import Files

        builder = FluentAI.agent("fluent-ai-cli")
        if is_router(self.model):
            builder = builder.model(self._router())
        else:
            builder = builder.model(self.model, base_url=self.base_url)
        if self.system:
            builder = builder.system_prompt(self.system)
        if self.temperature is not None:
            builder = builder.temperature(self.temperature)
        if self.max_tokens is not None:
            builder = builder.max_tokens(self.max_tokens)
        if self.tools:
            builder = builder.tools(*(load_tool(spec) for spec in self.tools))
        if self.context:
            builder = builder.context(*(Files.glob(pattern) for pattern in self.context))
        agent = builder.build()
        if self.log is not None:
            from fluent_ai.engine.observe import Observed

            observed = Observed(agent.config.model, log=self.log, conversation=self.conversation)
            agent.config = dataclasses.replace(agent.config, model=observed)
        agent.history = list(history)
        return agent

    def _router(self) -> Any:
        """The router ``self.model`` names, opened once per session (its health is kept
        when ``/system`` rebuilds the agent)."""
        if self.base_url:
            raise CLIError(
                f"--base-url does not apply to -m {self.model}",
                hint="give each deployment its base_url in the router config file",
            )
        if self.model not in self._routers:
            self._routers[self.model] = open_router(self.model, self.router_config)
        return self._routers[self.model]

    def change(self, **settings: Any) -> None:
        """Change settings (``model=``, ``system=``); the conversation is kept.

        The new agent is built before anything changes, so a bad setting leaves the
        session as it was.
        """
        history = self.history
        previous = {name: getattr(self, name) for name in settings}
        for name, value in settings.items():
            setattr(self, name, value)
        try:
            self._agent = self._build(history)
        except FluentAIError:
            for name, value in previous.items():
                setattr(self, name, value)
            raise

    def resolve(self, model: str) -> str:
        """``model``, or what it stands for when it is a config alias."""
        return self.aliases.get(model, model)

    def clear(self) -> None:
        self.agent.reset()

    async def stream_text(self, text: str) -> AsyncIterator[str]:
        """The answer's text as it streams, with a line for each tool the model ran.

        Cancelled part-way (Ctrl-C), the turn is kept in the history as far as it got,
        marked as interrupted (see :mod:`fluent_ai.cli.turn`); a failed turn is not,
        as in the library.
        """
        agent = self.agent
        before = list(agent.history)
        turn = self.last_turn = Turn(text)
        try:
            async for event in agent.stream(text):
                turn.add(event)
                if isinstance(event, TextDelta):
                    yield event.text
                elif isinstance(event, ToolResults):
                    for call, result in zip(event.calls, event.results, strict=True):
                        status = "failed" if result.is_error else "ok"
                        yield f"\n[tool {call.name}({call.arguments}) {status}]\n"
        except (asyncio.CancelledError, KeyboardInterrupt):
            agent.history = [*before, *turn.interrupted()]
            raise
        finally:
            # Tokens spent are counted however the turn ended: done, stopped or failed.
            turn.finish()
            self._count(turn)

    def _count(self, turn: Turn) -> None:
        self.total_usage = self.total_usage + turn.usage
        if turn.cost_usd is None or self.total_cost_usd is None:
            self.total_cost_usd = None
        else:
            self.total_cost_usd += turn.cost_usd

    async def send(self, text: str) -> Reply:
        return await self.agent.chat(text)
