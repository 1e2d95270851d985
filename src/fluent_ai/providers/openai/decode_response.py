"""A whole Chat Completions response body as the events a stream would have sent.

Only the first choice is read: the neutral response is one answer (ask for ``n > 1``
through ``extra`` and the other choices are not decoded). Fields with no neutral home
(``system_fingerprint``, ``service_tier``, OpenAI's ``moderation``, Perplexity's
``citations``, OpenRouter's ``provider`` and ``reasoning_details``, message
``annotations`` and ``refusal``, Groq's ``x_groq``, …) come back as one
:class:`~fluent_ai.types.ProviderData` under their own names, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.openai import fields
from fluent_ai.providers.openai.errors import stream_error
from fluent_ai.providers.openai.quirks import Quirks
from fluent_ai.providers.openai.think_tags import ThinkTagSplitter
from fluent_ai.providers.response_fields import optional_list, optional_mapping, optional_text
from fluent_ai.types import (
    BadResponseError,
    Finish,
    ProviderData,
    ResponseStart,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    UsageUpdate,
)

READ_TOP = frozenset({"id", "model", "object", "choices", "usage"})
READ_CHOICE = frozenset({"index", "message", "delta", "finish_reason"})
READ_MESSAGE = frozenset(
    {"role", "content", "tool_calls", "function_call", *fields.REASONING_FIELDS}
)


def decode_response(body: Mapping[str, Any], quirks: Quirks, *, provider: str) -> list[StreamEvent]:
    start = ResponseStart(
        id=optional_text(body, "id", provider), model=optional_text(body, "model", provider)
    )
    events: list[StreamEvent] = [start]
    if body.get("error") is not None:  # OpenRouter can answer 200 with an error object
        events.append(StreamError(stream_error(body, provider=provider)))
        return events
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], Mapping):
        raise BadResponseError(
            "a chat completion without choices", provider=provider, body=dict(body)
        )
    choice = choices[0]
    message = optional_mapping(choice, "message", provider)
    events.extend(message_events(message, quirks, provider=provider))
    raw_usage = body_usage(body, quirks)
    if raw_usage is not None:
        events.append(UsageUpdate(fields.usage(raw_usage, provider)))
    extra: dict[str, Any] = {}
    fields.keep(extra, body, READ_TOP)
    fields.keep(extra, choice, READ_CHOICE)
    fields.keep(extra, message, READ_MESSAGE)
    if extra:
        events.append(ProviderData(extra))
    raw_finish = choice.get("finish_reason")
    if isinstance(raw_finish, str):  # last, as in every protocol (providers.ordering)
        events.append(Finish(fields.finish_reason(raw_finish), raw_finish))
    return events


def message_events(
    message: Mapping[str, Any], quirks: Quirks, *, provider: str | None = None
) -> list[StreamEvent]:
    """Thinking, then text, then each tool call: the order a stream sends them in."""
    events: list[StreamEvent] = []
    thinking = reasoning(message)
    if thinking:
        events.append(ThinkingDelta(text=thinking))
    content = message.get("content")
    if isinstance(content, str) and content:
        if quirks.think_tags:
            splitter = ThinkTagSplitter()
            events.extend([*splitter.feed(content), *splitter.flush()])
        else:
            events.append(TextDelta(content))
    calls = list(optional_list(message, "tool_calls", provider))
    if isinstance(message.get("function_call"), Mapping):  # the legacy single-function form
        calls.append({"function": message["function_call"]})
    for index, call in enumerate(calls):
        name = fields.tool_name(call, provider)
        events.append(ToolCallStart(index, fields.tool_call_id(call.get("id")), name))
        args = fields.arguments(optional_mapping(call, "function", provider).get("arguments"))
        if args:
            events.append(ToolCallDelta(index, args))
        events.append(ToolCallEnd(index))
    return events


def reasoning(message: Mapping[str, Any]) -> str:
    """Visible thinking, from whichever field this vendor uses."""
    for field in fields.REASONING_FIELDS:
        value = message.get(field)
        if isinstance(value, str) and value:
            return value
    return ""


def body_usage(body: Mapping[str, Any], quirks: Quirks) -> Mapping[str, Any] | None:
    """``usage``, or the copy inside the vendor's envelope when only that one is there."""
    raw = body.get("usage")
    if raw is None and not quirks.usage_envelope:
        return None  # most stream chunks: decided without an ABC check
    if isinstance(raw, Mapping):
        return raw
    envelope = body.get(quirks.usage_envelope) if quirks.usage_envelope else None
    inner = envelope.get("usage") if isinstance(envelope, Mapping) else None
    return inner if isinstance(inner, Mapping) else None
