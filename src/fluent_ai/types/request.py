"""What a caller asks of a model: one provider-neutral request type."""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fluent_ai.types.messages import Message
from fluent_ai.types.text_check import check_request_text


class ToolSpec(BaseModel):
    """A tool the model may call, described by a JSON schema for its arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    strict: bool | None = None


class ToolChoice(BaseModel):
    """How the model should use tools: ``auto``, ``none``, ``required`` or one named tool."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Literal["auto", "none", "required", "tool"] = "auto"
    name: str | None = None


class ResponseFormat(BaseModel):
    """Ask for plain text, any JSON object, or JSON matching a schema."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["text", "json_object", "json_schema"] = "text"
    name: str = "response"
    json_schema: dict[str, Any] | None = None
    strict: bool | None = None
    description: str | None = None


class ChatRequest(BaseModel):
    """A chat request, independent of any provider's wire format.

    ``model`` is the provider's own model name (without the ``provider/`` prefix).
    ``extra`` carries provider-specific fields that have no neutral meaning; they are
    merged into the wire body as they are, so nothing a caller sets is dropped.

    Making one checks that its text can be sent at all: a lone surrogate raises
    :class:`~fluent_ai.types.InvalidTextError` naming the message, part and character
    (see :mod:`fluent_ai.types.text_check`). A ``temperature`` or ``top_p`` that is
    ``NaN`` or infinite is refused too: JSON has no such number to send.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    model: str
    messages: list[Message]
    system: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: list[str] | None = None
    tools: list[ToolSpec] | None = None
    tool_choice: ToolChoice | None = None
    response_format: ResponseFormat | None = None
    seed: int | None = None
    metadata: dict[str, Any] | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _sendable_text(self) -> Self:
        # InvalidTextError is not a ValueError, so pydantic lets it through unwrapped.
        check_request_text(self.system, self.messages, self.stop)
        return self
