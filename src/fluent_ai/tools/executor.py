"""Run the tool calls a model asked for, all at once, and answer each one.

Whatever goes wrong inside a tool call (an unknown name, bad arguments, an
exception, a timeout) becomes an error result the model reads on its next turn, so
one bad call never ends the run. Cancellation is the exception: cancelling
:meth:`ToolExecutor.run` cancels every call still running and propagates, and
``KeyboardInterrupt`` / ``SystemExit`` are never caught.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from fluent_ai._sync import run_sync
from fluent_ai.tools.errors import ToolDefinitionError, ToolError
from fluent_ai.tools.tool import Tool
from fluent_ai.types.messages import ToolCallPart, ToolResultPart
from fluent_ai.types.request import ToolSpec

ResultHook = Callable[[ToolCallPart, ToolResultPart], Awaitable[None] | None]
"""Called with each call and its result as soon as that call finishes."""


class ToolExecutor:
    """Runs tool calls concurrently, each under its own timeout.

    ``tools`` may mix :class:`Tool` objects and plain typed functions, which become
    tools through :meth:`Tool.from_function`. ``timeout`` is in seconds per call
    (``None`` for no limit); at most ``max_concurrency`` calls of one batch run at a
    time (``None`` for no limit). A sync function that times out is abandoned, not
    stopped: Python cannot kill a thread, so it finishes in the background.
    """

    def __init__(
        self,
        tools: Iterable[Tool | Callable[..., Any]],
        *,
        timeout: float | None = 30.0,
        max_concurrency: int | None = 8,
        on_result: ResultHook | None = None,
    ) -> None:
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be positive or None, got {timeout}")
        if max_concurrency is not None and max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1 or None, got {max_concurrency}")
        self._tools: dict[str, Tool] = {}
        for item in tools:
            found = item if isinstance(item, Tool) else Tool.from_function(item)
            if found.name in self._tools:
                raise ToolDefinitionError(
                    f"two tools are named {found.name!r}; tool names must differ"
                )
            self._tools[found.name] = found
        self.timeout = timeout
        self.max_concurrency = max_concurrency
        self.on_result = on_result

    @property
    def tools(self) -> Mapping[str, Tool]:
        """The tools by name."""
        return dict(self._tools)

    @property
    def specs(self) -> list[ToolSpec]:
        """The tool descriptions to send with a request."""
        return [found.spec for found in self._tools.values()]

    async def run(self, calls: Sequence[ToolCallPart]) -> list[ToolResultPart]:
        """Run every call concurrently; the results come back in the order of ``calls``."""
        limit = asyncio.Semaphore(self.max_concurrency or max(len(calls), 1))
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(self._run_reported(call, limit)) for call in calls]
        # A tool that raised CancelledError itself leaves a cancelled task behind:
        # .result() re-raises it here rather than leaving a hole in the results.
        return [task.result() for task in tasks]

    def run_sync(self, calls: Sequence[ToolCallPart]) -> list[ToolResultPart]:
        """Sync twin of :meth:`run`, for scripts and notebooks."""
        return run_sync(self.run(calls))

    async def run_one(self, call: ToolCallPart) -> ToolResultPart:
        """Run a single call under the executor's timeout."""
        return (await self.run([call]))[0]

    async def _run_reported(self, call: ToolCallPart, limit: asyncio.Semaphore) -> ToolResultPart:
        async with limit:
            result = await self._execute(call)
        if self.on_result is not None:
            reported = self.on_result(call, result)
            if inspect.isawaitable(reported):
                await reported
        return result

    async def _execute(self, call: ToolCallPart) -> ToolResultPart:
        found = self._tools.get(call.name)
        if found is None:
            available = ", ".join(self._tools) or "none"
            return _error(call, f"Unknown tool {call.name!r}. Available tools: {available}.")
        deadline = asyncio.timeout(self.timeout)
        try:
            async with deadline:
                content = await found.call(call.arguments)
        except TimeoutError as exc:
            if deadline.expired():
                return _error(call, f"Tool {call.name!r} timed out after {self.timeout:g} s.")
            return _error(call, _describe(call.name, exc))
        except Exception as exc:
            return _error(call, _describe(call.name, exc))
        return ToolResultPart(tool_call_id=call.id, name=call.name, content=content)


def _describe(name: str, exc: Exception) -> str:
    """A tool error's own message, or the exception type and message of anything else."""
    if isinstance(exc, ToolError):
        return exc.message
    detail = str(exc)
    return f"Tool {name!r} raised {type(exc).__name__}" + (f": {detail}" if detail else ".")


def _error(call: ToolCallPart, content: str) -> ToolResultPart:
    return ToolResultPart(tool_call_id=call.id, name=call.name, content=content, is_error=True)
