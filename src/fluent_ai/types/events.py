"""The one stream-event family every model emits.

Every provider decoder, remote or local, turns its wire format into these events, and
a non-streaming call is the same events collected (:mod:`fluent_ai.types.collect`).

The order is the same for every protocol, whatever order the vendor's wire used, so a
consumer never needs to know which vendor it is reading:

1. :class:`ResponseStart`, when the provider sends an id or model, comes first;
2. content: :class:`TextDelta`, :class:`ThinkingDelta` and the tool-call events, in the
   order the model wrote them (:class:`UsageUpdate` may also come in between, as
   running counts);
3. the final :class:`UsageUpdate` and any :class:`ProviderData`;
4. :class:`Finish`, at most once and always the very last event. OpenAI, for one,
   sends its usage chunk after the ``finish_reason`` chunk; the decoders hold the
   finish back (:mod:`fluent_ai.providers.ordering`), so reacting to ``Finish`` means
   the usage is already known.

A :class:`StreamError` may end a stream at any point instead.
They are slotted frozen dataclasses rather than pydantic models because thousands of
them pass per answer and per-chunk overhead is a feature we measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fluent_ai.types.errors import FluentAIError
from fluent_ai.types.response import FinishReason, Usage


@dataclass(frozen=True, slots=True)
class ResponseStart:
    """The provider's response id and the model that is answering."""

    id: str | None = None
    model: str | None = None
    provider: str | None = None


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A piece of the answer's text."""

    text: str


@dataclass(frozen=True, slots=True)
class ThinkingDelta:
    """A piece of visible reasoning; ``signature`` / ``redacted`` close a block (Anthropic)."""

    text: str = ""
    signature: str | None = None
    redacted: str | None = None


@dataclass(frozen=True, slots=True)
class ToolCallStart:
    """The model begins a tool call. ``index`` identifies the call within this stream."""

    index: int
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A piece of a tool call's JSON arguments."""

    index: int
    arguments: str


@dataclass(frozen=True, slots=True)
class ToolCallEnd:
    """The tool call's arguments are complete."""

    index: int


@dataclass(frozen=True, slots=True)
class UsageUpdate:
    """Token usage so far, complete: the last one in a stream is the final count.

    ``cost_usd`` is filled in by the model runner when the model's prices are known.
    """

    usage: Usage
    cost_usd: float | None = None


@dataclass(frozen=True, slots=True)
class Finish:
    """Why the model stopped; ``raw`` is the provider's own word for it.

    Always the last event of a stream, after the final :class:`UsageUpdate`.
    """

    reason: FinishReason
    raw: str | None = None


@dataclass(frozen=True, slots=True)
class ProviderData:
    """Provider fields with no neutral home (citations, moderation, fingerprints)."""

    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StreamError:
    """The provider reported an error inside the stream; consumers raise ``error``."""

    error: FluentAIError


StreamEvent = (
    ResponseStart
    | TextDelta
    | ThinkingDelta
    | ToolCallStart
    | ToolCallDelta
    | ToolCallEnd
    | UsageUpdate
    | Finish
    | ProviderData
    | StreamError
)
