"""Tools: what a model may call, described by a name, a description and a JSON schema.

:class:`Tool` is the one shape the executor and the agent see. A plain typed Python
function becomes a :class:`FunctionTool` through :meth:`Tool.from_function` or the
:func:`tool` decorator; tools served by an MCP server come from
:class:`fluent_ai.tools.mcp.MCPServer`.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, overload

from fluent_ai._sync import run_sync
from fluent_ai.tools.docstrings import parse_docstring
from fluent_ai.tools.errors import ToolDefinitionError
from fluent_ai.tools.output import to_text
from fluent_ai.tools.parameters import Parameters, describe_parameters
from fluent_ai.types.request import ToolSpec

_VALID_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Tool(ABC):
    """Something a model can call: a name, what it does, and its parameters' JSON schema."""

    def __init__(self, name: str, description: str, parameters: Mapping[str, Any]) -> None:
        self.name = name
        self.description = description
        self.parameters = dict(parameters)

    @property
    def spec(self) -> ToolSpec:
        """The description sent to the model in a request."""
        return ToolSpec(name=self.name, description=self.description, parameters=self.parameters)

    @abstractmethod
    async def call(self, arguments: str | Mapping[str, Any] = "{}") -> str:
        """Run the tool on the model's arguments (raw JSON text or a mapping).

        Returns the text the model reads. Raises :class:`ToolArgumentsError` for bad
        arguments; anything else raised is the tool's own failure.
        """

    def call_sync(self, arguments: str | Mapping[str, Any] = "{}") -> str:
        """Sync twin of :meth:`call`, for scripts and notebooks."""
        return run_sync(self.call(arguments))

    @classmethod
    def from_function(
        cls,
        function: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> FunctionTool:
        """A tool that calls ``function``, described by its type hints and docstring.

        The name defaults to the function's name and the description to the first
        paragraph of its docstring. Parameter descriptions come from
        ``Annotated[T, "text"]``, ``Annotated[T, Field(description=...)]`` or the
        docstring's ``Args:`` / ``:param:`` / ``Parameters`` section.

        Raises :class:`ToolDefinitionError` when the function cannot be described:
        ``*args`` or ``**kwargs``, an untyped parameter, or a type with no JSON schema.
        """
        return FunctionTool(function, name=name, description=description)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class FunctionTool(Tool):
    """A tool backed by a Python function, sync or async.

    Arguments are validated against the same pydantic model that produced the
    schema before the function runs. Async functions are awaited; sync functions run
    in a worker thread so a slow one never blocks the event loop.
    """

    def __init__(
        self,
        function: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> None:
        if not callable(function):
            raise ToolDefinitionError(f"{function!r} is not callable, so it cannot be a tool")
        tool_name = name if name is not None else getattr(function, "__name__", "")
        if not _VALID_NAME.match(tool_name):
            raise ToolDefinitionError(
                f"{function!r}: tool name {tool_name!r} is not valid; models accept 1 to 64 "
                "letters, digits, '_' or '-', so pass name= to choose one"
            )
        docstring = parse_docstring(inspect.getdoc(function))
        self.function = function
        self._signature: Parameters = describe_parameters(function, docstring.parameters)
        self._is_async = inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
            type(function).__call__
        )
        super().__init__(
            tool_name,
            description if description is not None else docstring.summary,
            self._signature.schema,
        )

    async def call(self, arguments: str | Mapping[str, Any] = "{}") -> str:
        args, kwargs = self._signature.bind(self.name, arguments)
        if self._is_async:
            value = await self.function(*args, **kwargs)
        else:
            value = await asyncio.to_thread(self.function, *args, **kwargs)
        return to_text(value)


@overload
def tool(function: Callable[..., Any], /) -> FunctionTool: ...


@overload
def tool(
    *, name: str | None = None, description: str | None = None
) -> Callable[[Callable[..., Any]], FunctionTool]: ...


def tool(
    function: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
) -> FunctionTool | Callable[[Callable[..., Any]], FunctionTool]:
    """Decorator form of :meth:`Tool.from_function`: ``@tool`` or ``@tool(name=...)``.

    The decorated name is bound to the :class:`FunctionTool`; the plain function
    stays reachable as its ``function`` attribute.
    """
    if function is not None:
        return FunctionTool(function, name=name, description=description)

    def decorate(target: Callable[..., Any]) -> FunctionTool:
        return FunctionTool(target, name=name, description=description)

    return decorate
