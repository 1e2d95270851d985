"""What comes back: usage, finish reason and the whole response."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fluent_ai.types.messages import Message


class FinishReason(StrEnum):
    """Why the model stopped, normalised across providers (the raw value is kept too)."""

    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"
    ERROR = "error"
    OTHER = "other"


class Usage(BaseModel):
    """Token counts for one call.

    ``input_tokens`` counts every prompt token, cached ones included (OpenAI's
    ``prompt_tokens``); ``cache_read_tokens`` and ``cache_write_tokens`` say how many of
    them were read from or written to the provider's prompt cache, so they can be priced
    separately. ``reasoning_tokens`` are part of ``output_tokens``.
    """

    model_config = ConfigDict(frozen=True)

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    details: dict[str, Any] = Field(default_factory=dict)

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
        )


class ChatResponse(BaseModel):
    """The whole answer to one request: the collected stream.

    ``extra`` keeps provider fields that have no neutral home (citations, moderation
    results, system fingerprints) so nothing the provider sent is lost.
    """

    model_config = ConfigDict(frozen=True)

    message: Message
    finish_reason: FinishReason | None = None
    raw_finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    id: str | None = None
    model: str | None = None
    provider: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message.text

    @property
    def thinking(self) -> str:
        return self.message.thinking

    @property
    def tool_calls(self) -> list[Any]:
        return self.message.tool_calls
