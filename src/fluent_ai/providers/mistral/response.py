"""A whole Mistral chat response as stream events, and the readings streams share with it.

Only the first choice is read: the neutral response is one answer (ask for ``n > 1``
through ``extra`` and the other choices are not decoded).

* Content is a string, or chunks where Magistral models put their reasoning in
  ``thinking`` chunks ahead of the answer; chunks with no neutral part are handed
  over as provider data under :data:`CONTENT_KEY`.
* Usage counts the cached prompt in ``prompt_tokens``, as OpenAI does; the cached count
  itself is ``prompt_tokens_details.cached_tokens`` in newer answers and
  ``num_cached_tokens`` in older ones (both recorded). The usage object is kept whole
  in ``Usage.details``.
* Finish reasons: ``model_length`` (the context window is full) counts as ``length``.

Fields with no neutral home (``created``, a choice's ``logprobs``, …) arrive as one
:class:`~fluent_ai.types.ProviderData` under their own names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.mistral.content import content_events
from fluent_ai.providers.openai import fields
from fluent_ai.providers.response_fields import optional_list, optional_mapping, optional_text
from fluent_ai.types import (
    Finish,
    FinishReason,
    ProviderData,
    ResponseStart,
    StreamEvent,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

CONTENT_KEY = "content_chunks"
"""Provider-data key for content chunks that have no neutral part, as Mistral sent them."""

READ_TOP = frozenset({"id", "model", "object", "choices", "usage"})
READ_CHOICE = frozenset({"index", "message", "delta", "finish_reason"})
READ_MESSAGE = frozenset({"role", "content", "tool_calls", "prefix"})

FINISH_REASONS = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "model_length": FinishReason.LENGTH,
    "tool_calls": FinishReason.TOOL_CALLS,
    "error": FinishReason.ERROR,
}


def finish(raw: str) -> Finish:
    return Finish(FINISH_REASONS.get(raw, FinishReason.OTHER), raw)


def read_usage(raw: Mapping[str, Any]) -> Usage:
    usage = fields.usage(raw, "mistral")
    cached = raw.get("num_cached_tokens")
    if not usage.cache_read_tokens and isinstance(cached, int):
        usage = usage.model_copy(update={"cache_read_tokens": cached})
    return usage


def decode_response(body: Mapping[str, Any]) -> list[StreamEvent]:
    events: list[StreamEvent] = [
        ResponseStart(
            id=optional_text(body, "id", "mistral"), model=optional_text(body, "model", "mistral")
        )
    ]
    choice = body["choices"][0]
    message = optional_mapping(choice, "message", "mistral")
    content, unread = content_events(message.get("content"))
    events.extend(content)
    for index, call in enumerate(optional_list(message, "tool_calls", "mistral")):
        name = fields.tool_name(call, "mistral")
        function = optional_mapping(call, "function", "mistral")
        events.append(ToolCallStart(index, fields.tool_call_id(call.get("id")), name))
        arguments = fields.arguments(function.get("arguments"))
        if arguments:
            events.append(ToolCallDelta(index, arguments))
        events.append(ToolCallEnd(index))
    if isinstance(body.get("usage"), Mapping):
        events.append(UsageUpdate(read_usage(body["usage"])))
    extra: dict[str, Any] = {}
    fields.keep(extra, body, READ_TOP)
    fields.keep(extra, choice, READ_CHOICE)
    fields.keep(extra, message, READ_MESSAGE)
    if unread:
        extra[CONTENT_KEY] = unread
    if extra:
        events.append(ProviderData(extra))
    if isinstance(choice.get("finish_reason"), str):  # last, as in every protocol
        events.append(finish(choice["finish_reason"]))
    return events
