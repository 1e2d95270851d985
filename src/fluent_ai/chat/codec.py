"""Conversations as JSON and as JSON lines, and back, without losing anything.

The JSON document is one object::

    {"format": "fluent-ai.conversation", "version": 1, "system": "...",
     "metadata": {...}, "messages": [{"role": "user", "parts": [...]}, ...]}

The JSON lines form puts the same header (without ``messages``) on the first line and
one message per line after it, so a log can be appended to and read as a stream.
Parts keep their ``type`` tag and every field; bytes travel as base64. Fields that are
``None`` are left out, and come back as ``None`` because that is their default.

Reading checks everything with the same pydantic models the library uses, and
reports the first problem as a :class:`ConversationFormatError` naming the JSONL line
and the field (``messages[2].parts[0].data``).
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from fluent_ai.chat.conversation import Conversation
from fluent_ai.chat.errors import ConversationFormatError
from fluent_ai.types.messages import Message

FORMAT: Final = "fluent-ai.conversation"
VERSION: Final = 1


class Header(BaseModel):
    """What precedes the messages: format tag, version, system prompt, metadata."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["fluent-ai.conversation"] = FORMAT
    version: Literal[1] = VERSION
    system: str | None = None
    metadata: dict[str, JsonValue] = Field(default_factory=dict)


class Document(Header):
    """The JSON document: the header and the messages together."""

    messages: list[Message] = Field(default_factory=list)


def to_json(conversation: Conversation, *, indent: int | None = 2) -> str:
    """``conversation`` as one JSON document."""
    document = Document(
        system=conversation.system,
        metadata=conversation.metadata,
        messages=conversation.messages,
    )
    return document.model_dump_json(indent=indent, exclude_none=True)


def from_json(text: str | bytes, *, source: str | None = None) -> Conversation:
    """The conversation in a JSON document written by :func:`to_json`.

    ``source`` names where the text came from, for error messages.
    """
    try:
        document = Document.model_validate_json(text)
    except ValidationError as error:
        raise format_error(error, source=source) from error
    return Conversation(
        system=document.system, metadata=document.metadata, messages=document.messages
    )


def to_jsonl(conversation: Conversation) -> str:
    """``conversation`` as JSON lines: the header, then one message per line."""
    header = Header(system=conversation.system, metadata=conversation.metadata)
    lines = [header.model_dump_json(exclude_none=True)]
    lines.extend(message.model_dump_json(exclude_none=True) for message in conversation.messages)
    return "\n".join(lines) + "\n"


def from_jsonl(text: str | bytes, *, source: str | None = None) -> Conversation:
    """The conversation in JSON lines written by :func:`to_jsonl`; blank lines are skipped.

    ``source`` names where the text came from, for error messages.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ConversationFormatError(
                f"not UTF-8 text ({error.reason} at byte {error.start})", source=source
            ) from error
    # Only "\n" ends a line: JSON keeps U+2028 and other separators inside strings
    # unescaped, and str.splitlines() would cut there.
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        raise ConversationFormatError("no lines: the first line must be the header", source=source)
    number, first = lines[0]
    try:
        header = Header.model_validate_json(first)
    except ValidationError as error:
        raise format_error(error, source=source, line=number) from error
    messages = []
    for number, line in lines[1:]:
        try:
            messages.append(Message.model_validate_json(line))
        except ValidationError as error:
            raise format_error(error, source=source, line=number) from error
    return Conversation(system=header.system, metadata=header.metadata, messages=messages)


def format_error(
    error: ValidationError, *, source: str | None = None, line: int | None = None
) -> ConversationFormatError:
    """The first problem pydantic found, with where it is, as a ConversationFormatError."""
    problems = error.errors(include_url=False)
    first = problems[0]
    more = len(problems) - 1
    problem = first["msg"] + (
        f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    )
    field = field_path(first["loc"]) or None
    return ConversationFormatError(problem, source=source, line=line, field=field)


def field_path(location: tuple[int | str, ...]) -> str:
    """``("messages", 2, "parts", 0, "data")`` as ``messages[2].parts[0].data``."""
    path = ""
    for step in location:
        path += f"[{step}]" if isinstance(step, int) else f".{step}" if path else step
    return path
