"""Errors raised by tools, rooted at :class:`ToolError`.

Only :class:`ToolDefinitionError` is meant to reach the programmer: it is raised when a
tool is defined, so a function the model could never call fails loudly at start-up.
The others are raised while a tool runs, and the executor turns them into error
results the model reads, so their messages are written for the model.
"""

from __future__ import annotations

from fluent_ai.types.errors import FluentAIError


class ToolError(FluentAIError):
    """Base of every tool error. Raise it from a tool to send the model just the message."""


class ToolDefinitionError(ToolError):
    """A function cannot become a tool: ``*args``, an untyped parameter, a type with no schema."""


class ToolArgumentsError(ToolError):
    """The model's arguments are not valid JSON or do not match the tool's parameters."""


class MCPError(ToolError):
    """An MCP server could not be reached, went away, or reported that a tool call failed."""
