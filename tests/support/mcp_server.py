"""A small real MCP server the MCP tool tests connect to.

Run as a script it serves over stdio (``python tests/support/mcp_server.py``), which is
how the stdio tests start it as a subprocess. The HTTP tests call :func:`build_server`
and serve its streamable HTTP app on a loopback port themselves.
"""

from __future__ import annotations

import os

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError


def build_server() -> MCPServer:
    """The test server: tools that work, one that fails, one that kills the server."""
    server: MCPServer = MCPServer("fluent-ai-test", log_level="WARNING")

    @server.tool()
    def add(a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    @server.tool()
    def fail() -> str:
        """Always fails, to test how tool errors come back."""
        raise ToolError("this tool always fails")

    @server.tool()
    def get_user_country() -> str:
        """The country the user is in (the agent tests replay a recording that asks)."""
        return "Mexico"

    @server.tool()
    def crash() -> str:
        """Exit the server process at once, as a crashing server would."""
        os._exit(3)

    return server


if __name__ == "__main__":
    build_server().run("stdio")
