"""An agent's settings, fixed at build time.

Kept apart from the builder so that a built agent is a plain immutable value: two
conversations with the same agent share it safely.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fluent_ai.providers.base import ChatModel
from fluent_ai.templates import Template
from fluent_ai.tools import ToolExecutor
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    Message,
    ResponseFormat,
    StreamEvent,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
)

ChunkCallback = Callable[[StreamEvent], Awaitable[None] | None]
ToolResultCallback = Callable[[ToolCallPart, ToolResultPart], Awaitable[None] | None]
TurnCallback = Callable[[ChatResponse], Awaitable[None] | None]
MemoryCallback = Callable[[list["Hit"]], Awaitable[None] | None]

if TYPE_CHECKING:
    # Only for annotations: the mcp package is an optional extra, imported on use, and
    # the memory package is loaded only by an agent that has a memory.
    from fluent_ai.agent.memory import MemorySettings
    from fluent_ai.memory import Hit
    from fluent_ai.tools.mcp import MCPServer


@dataclass(frozen=True)
class Callbacks:
    on_chunk: ChunkCallback | None = None
    on_tool_result: ToolResultCallback | None = None
    on_turn: TurnCallback | None = None
    on_memory: MemoryCallback | None = None


@dataclass(frozen=True)
class AgentConfig:
    name: str
    model_spec: str
    model_name: str
    model: ChatModel
    system: Template | None = None
    context_text: str | None = None
    executor: ToolExecutor | None = None
    mcp_servers: tuple[MCPServer, ...] = ()
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    stop: tuple[str, ...] | None = None
    additional_params: Mapping[str, Any] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    history: tuple[Message, ...] = ()
    variables: Mapping[str, Any] = field(default_factory=dict)
    callbacks: Callbacks = field(default_factory=Callbacks)
    max_steps: int = 10
    response_format: ResponseFormat | None = None
    output_instructions: str | None = None
    memory: MemorySettings | None = None
    tool_choices: tuple[ToolChoice | None, ToolChoice | None] = (None, None)
    owns_model: bool = True
    """Whether the agent built ``model`` (and closes it); a model it was given is not its."""

    def system_prompt(self, memories: str | None = None) -> str | None:
        """The rendered system prompt (rendered per call: ``{{ date }}`` stays current).

        ``output_instructions`` ask for structured output in words, for a model that has
        no native JSON-schema mode (see :mod:`fluent_ai.agent.output`). ``memories`` is
        this turn's block of recalled memories (see :mod:`fluent_ai.agent.memory`), last
        because it changes every turn and a stable start keeps a prompt cache warm.
        """
        parts = []
        if self.system is not None:
            parts.append(self.system.render(self.variables))
        if self.context_text:
            parts.append(self.context_text)
        if self.output_instructions:
            parts.append(self.output_instructions)
        if memories:
            parts.append(memories)
        return "\n\n".join(parts) if parts else None

    def request(
        self,
        messages: list[Message],
        executor: ToolExecutor | None,
        carried: Mapping[str, Any] | None = None,
        memories: str | None = None,
        step: int = 1,
    ) -> ChatRequest:
        """The request for one step. ``tool_choices`` are the first step's and the later
        steps': once tools have run, a model held to ``required`` would never answer."""
        specs = executor.specs if executor is not None else []
        return ChatRequest(
            model=self.model_name,
            messages=messages,
            system=self.system_prompt(memories),
            temperature=self.temperature,
            top_p=self.top_p,
            max_tokens=self.max_tokens,
            stop=list(self.stop) if self.stop else None,
            tools=specs or None,
            tool_choice=self.tool_choices[step > 1] if specs else None,
            response_format=self.response_format,
            metadata=dict(self.metadata) or None,
            extra={**self.additional_params, **(carried or {})},
        )
