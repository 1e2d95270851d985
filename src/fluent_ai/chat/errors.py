"""Errors raised while reading conversations back from files."""

from __future__ import annotations

from fluent_ai.types.errors import FluentAIError


class ConversationFormatError(FluentAIError):
    """A saved conversation could not be read: bad JSON, or a field with the wrong shape.

    ``source`` is the file read, when there was one; ``line`` the 1-based line of a
    JSONL file the problem is on (``None`` for a JSON document); ``field`` the path to
    the offending value, such as ``messages[3].parts[0].data``, when one is known.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.field = field
        where = [source] if source else []
        if line is not None:
            where.append(f"line {line}")
        if field:
            where.append(field)
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(f"malformed conversation: {prefix}{problem}")
