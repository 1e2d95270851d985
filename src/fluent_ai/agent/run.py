"""The chat loop: model → tools → model, until a final answer or the step limit.

One run answers one user message. Every model turn is streamed; when the model asks
for tools they run concurrently (each under the executor's timeout) and their
results, errors included, go back to the model. Only the step limit ends a run with
an error: a failing tool is something for the model to read, not a crash.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator
from contextlib import AsyncExitStack, aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, cast

from pydantic import BaseModel
from typing_extensions import TypeVar

from fluent_ai.agent.config import AgentConfig
from fluent_ai.agent.errors import StepLimitError
from fluent_ai.providers.history import carry
from fluent_ai.tools import Tool, ToolExecutor
from fluent_ai.types import (
    ChatResponse,
    Message,
    StreamAccumulator,
    StreamEvent,
    ToolCallPart,
    ToolResultPart,
    Usage,
)

if TYPE_CHECKING:
    from fluent_ai.agent.errors import FactsNotLearnedError, TurnNotStoredError
    from fluent_ai.memory import FactChange, Hit


@dataclass(frozen=True, slots=True)
class ToolResults:
    """The tools the model called in one step, and what they returned."""

    calls: list[ToolCallPart]
    results: list[ToolResultPart]


AgentEvent = StreamEvent | ToolResults


OutputT = TypeVar("OutputT", bound=BaseModel | None, default=None)
"""What an agent's replies carry in ``output``: the ``.output(...)`` model, else ``None``."""


@dataclass
class Reply(Generic[OutputT]):
    """The whole answer to one user message, tools and all.

    ``output`` is the validated ``.output(...)`` model instance, typed as that model, so
    ``reply.output.city`` type-checks; without ``.output(...)`` it is ``None``. It is
    ``None`` only while the agent is still building the reply: every reply the agent
    hands out has it set, or the call raised ``OutputValidationError``.

    With ``.memory(...)``, ``memories`` holds the memories the model was given for this
    message, best first, ``facts`` the changes learned from it (with ``learn``), and
    ``memory_error`` is set when the completed turn could not be stored or learned from
    (the reply itself is whole; see :mod:`fluent_ai.agent.memory`).
    """

    response: ChatResponse
    messages: list[Message] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None
    steps: int = 0
    output: OutputT = field(default=cast(Any, None))
    memories: list[Hit] = field(default_factory=list)
    facts: list[FactChange] = field(default_factory=list)
    memory_error: TurnNotStoredError | FactsNotLearnedError | None = None

    @property
    def text(self) -> str:
        return self.response.text


async def call_hook(hook: Any, *args: Any) -> None:
    """Call a user callback that may be sync or async."""
    if hook is None:
        return
    result = hook(*args)
    if inspect.isawaitable(result):
        await result


async def open_executor(config: AgentConfig, stack: AsyncExitStack) -> ToolExecutor | None:
    """The executor for one run: the built tools plus those of each MCP server."""
    if not config.mcp_servers:
        return config.executor
    tools: list[Tool] = list(config.executor.tools.values()) if config.executor else []
    for server in config.mcp_servers:
        await stack.enter_async_context(server)
        tools.extend(await server.list_tools())
    base = config.executor
    return ToolExecutor(
        tools,
        timeout=base.timeout if base else 30.0,
        on_result=config.callbacks.on_tool_result,
    )


async def run(
    config: AgentConfig,
    messages: list[Message],
    reply: Reply[Any],
    *,
    stream: bool = True,
    carried: dict[str, list[Any]] | None = None,
    memories: str | None = None,
) -> AsyncGenerator[AgentEvent, None]:
    """One run; ``messages``, ``reply`` and ``carried`` are filled in as it goes.

    With ``stream=False`` each model turn is one plain request (cheaper when nobody
    watches the tokens) and only the ``ToolResults`` events are yielded. ``carried``
    holds provider content the next request must send back verbatim
    (:mod:`fluent_ai.providers.history`). ``memories`` is the block of recalled
    memories every request of the run carries in its system prompt.
    """
    carried = {} if carried is None else carried
    async with AsyncExitStack() as stack:
        executor = await open_executor(config, stack)
        for step in range(1, config.max_steps + 1):
            reply.steps = step
            request = config.request(messages, executor, carried, memories, step)
            if stream:
                acc = StreamAccumulator()
                # Closed with the run, so a consumer that stops closes the HTTP stream.
                async with aclosing(config.model.stream(request)) as events:
                    async for event in events:
                        acc.add(event)
                        await call_hook(config.callbacks.on_chunk, event)
                        yield event
                response = acc.response()
            else:
                response = await config.model.complete(request)
            carry(carried, response.extra)
            messages.append(response.message)
            reply.messages.append(response.message)
            reply.usage = reply.usage + response.usage
            reply.cost_usd = (
                None
                if response.cost_usd is None or (step > 1 and reply.cost_usd is None)
                else (reply.cost_usd or 0.0) + response.cost_usd
            )
            reply.response = response
            await call_hook(config.callbacks.on_turn, response)
            calls = response.tool_calls
            if not calls or executor is None:
                return
            results = await executor.run(calls)
            tool_message = Message(role="tool", parts=list(results))
            messages.append(tool_message)
            reply.messages.append(tool_message)
            yield ToolResults(calls=list(calls), results=list(results))
    raise StepLimitError(
        f"agent {config.name!r} stopped after {config.max_steps} steps: the model kept "
        "calling tools. Raise the limit with .max_steps(n) if the task needs more."
    )
