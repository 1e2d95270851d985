"""Messages and their typed parts.

A message is a role plus an ordered list of parts. Parts are pydantic models with a
``type`` discriminator, so a conversation round-trips through JSON without loss and
every provider translator can match on the part's class.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

Role = Literal["system", "user", "assistant", "tool"]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextPart(_Part):
    """Plain text."""

    type: Literal["text"] = "text"
    text: str


class _Binary(_Part):
    """A part carried either by URL or inline as bytes (base64 in JSON)."""

    url: str | None = None
    data: bytes | None = None
    media_type: str | None = None

    @field_validator("data", mode="before")
    @classmethod
    def _decode_base64(cls, value: Any) -> Any:
        if isinstance(value, str):
            return base64.b64decode(value, validate=True)
        return value

    @field_serializer("data")
    def _encode_base64(self, value: bytes | None) -> str | None:
        return None if value is None else base64.b64encode(value).decode("ascii")

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.url is None) == (self.data is None):
            raise ValueError(f"{type(self).__name__} needs exactly one of url= or data=")
        return self

    @property
    def base64(self) -> str:
        """The inline bytes as base64 text (empty for a URL part)."""
        return base64.b64encode(self.data).decode("ascii") if self.data is not None else ""

    @property
    def data_url(self) -> str:
        """A ``data:`` URL for inline bytes, or the URL itself."""
        if self.url is not None:
            return self.url
        return f"data:{self.media_type or 'application/octet-stream'};base64,{self.base64}"


class ImagePart(_Binary):
    """An image, by URL or as bytes with its media type (image/png, image/jpeg, …)."""

    type: Literal["image"] = "image"
    detail: Literal["auto", "low", "high"] | None = None


class DocumentPart(_Binary):
    """A document (PDF, plain text, …) by URL or as bytes."""

    type: Literal["document"] = "document"
    name: str | None = None


class ToolCallPart(_Part):
    """The model asks for a tool to run. ``arguments`` is the raw JSON text the model wrote."""

    type: Literal["tool_call"] = "tool_call"
    id: str
    name: str
    arguments: str = "{}"


class ToolResultPart(_Part):
    """What a tool returned, answering the call with ``tool_call_id``."""

    type: Literal["tool_result"] = "tool_result"
    tool_call_id: str
    content: str
    name: str | None = None
    is_error: bool = False


class ThinkingPart(_Part):
    """Visible reasoning. ``signature`` (Anthropic) or ``redacted`` data must be sent back as is."""

    type: Literal["thinking"] = "thinking"
    text: str = ""
    signature: str | None = None
    redacted: str | None = None


Part = Annotated[
    TextPart | ImagePart | DocumentPart | ToolCallPart | ToolResultPart | ThinkingPart,
    Field(discriminator="type"),
]


class Message(BaseModel):
    """One turn of a conversation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    parts: list[Part]
    name: str | None = None

    @classmethod
    def system(cls, text: str) -> Message:
        return cls(role="system", parts=[TextPart(text=text)])

    @classmethod
    def user(cls, *content: str | TextPart | ImagePart | DocumentPart) -> Message:
        """A user message; plain strings become text parts."""
        parts: list[Part] = [TextPart(text=c) if isinstance(c, str) else c for c in content]
        return cls(role="user", parts=parts)

    @classmethod
    def assistant(cls, text: str) -> Message:
        return cls(role="assistant", parts=[TextPart(text=text)])

    @classmethod
    def tool_result(
        cls, tool_call_id: str, content: str, *, name: str | None = None, is_error: bool = False
    ) -> Message:
        part = ToolResultPart(
            tool_call_id=tool_call_id, content=content, name=name, is_error=is_error
        )
        return cls(role="tool", parts=[part])

    @property
    def text(self) -> str:
        """All text parts joined: the answer a person reads."""
        return "".join(p.text for p in self.parts if isinstance(p, TextPart))

    @property
    def thinking(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, ThinkingPart))

    @property
    def tool_calls(self) -> list[ToolCallPart]:
        return [p for p in self.parts if isinstance(p, ToolCallPart)]
