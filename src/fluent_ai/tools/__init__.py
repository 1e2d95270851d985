"""Tools a model can call: typed Python functions, their executor, and MCP servers (layer 3).

``MCPServer`` and ``MCPTool`` need the optional ``mcp`` package; they are imported
on first use so the rest of the package works without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fluent_ai.tools.errors import MCPError, ToolArgumentsError, ToolDefinitionError, ToolError
from fluent_ai.tools.executor import ResultHook, ToolExecutor
from fluent_ai.tools.tool import FunctionTool, Tool, tool

if TYPE_CHECKING:
    from fluent_ai.tools.mcp import MCPServer, MCPTool

__all__ = [
    "FunctionTool",
    "MCPError",
    "MCPServer",
    "MCPTool",
    "ResultHook",
    "Tool",
    "ToolArgumentsError",
    "ToolDefinitionError",
    "ToolError",
    "ToolExecutor",
    "tool",
]


def __getattr__(name: str) -> Any:
    if name in ("MCPServer", "MCPTool"):
        from fluent_ai.tools import mcp

        return getattr(mcp, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
