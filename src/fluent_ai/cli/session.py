"""A conversation held by the CLI: an agent built from the command-line options.

The CLI is a thin layer: ``chat`` and the REPL drive a real :class:`~fluent_ai.Agent`,
rebuilt (keeping the conversation) when ``/model`` or ``/system`` changes a setting.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, cast

from fluent_ai.agent import Agent, FluentAI, Reply, ToolResults
from fluent_ai.types import ConfigurationError, FluentAIError, Message, TextDelta


def load_tool(spec: str) -> Callable[..., Any]:
    """``package.module:function`` → the function, with a clear error when it is not there."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ConfigurationError(f"--tool {spec!r} should be written module:function")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(f"--tool {spec!r}: cannot import {module_name}: {exc}") from exc
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
    _agent: Agent | None = None

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

        builder = FluentAI.agent("fluent-ai-cli").model(self.model, base_url=self.base_url)
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
        agent.history = list(history)
        return agent

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

    def clear(self) -> None:
        self.agent.reset()

    async def stream_text(self, text: str) -> AsyncIterator[str]:
        """The answer's text as it streams, with a line for each tool the model ran."""
        async for event in self.agent.stream(text):
            if isinstance(event, TextDelta):
                yield event.text
            elif isinstance(event, ToolResults):
                for call, result in zip(event.calls, event.results, strict=True):
                    status = "failed" if result.is_error else "ok"
                    yield f"\n[tool {call.name}({call.arguments}) {status}]\n"

    async def send(self, text: str) -> Reply:
        return await self.agent.chat(text)
