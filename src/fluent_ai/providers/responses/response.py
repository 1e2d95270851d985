"""A whole Responses body as stream events, and the readings a stream's last event shares.

The answer is the ``output`` items, read by :mod:`.output`. Then, from the response
object (a whole body, or the one ``response.completed`` / ``response.incomplete`` /
``response.failed`` carries at the end of a stream):

* usage: ``input_tokens`` (cached ones included), ``input_tokens_details.cached_tokens``
  read from the cache, ``cache_write_tokens`` written to it (OpenRouter),
  ``output_tokens`` and ``output_tokens_details.reasoning_tokens``; the object itself is
  kept in ``Usage.details`` (OpenRouter adds its ``cost`` there);
* the finish reason: ``completed`` is ``STOP``, or ``TOOL_CALLS`` when the output holds
  function calls; ``incomplete`` is read from ``incomplete_details.reason``
  (``max_output_tokens`` is ``LENGTH``, ``content_filter`` is ``CONTENT_FILTER``);
  a ``failed`` response's ``error`` becomes a :class:`~fluent_ai.types.StreamError`;
* :class:`~fluent_ai.types.ProviderData` with what has no neutral home: the fields the
  API reports about the answer (``service_tier``, ``billing``, OpenAI's
  ``moderation``, timestamps, …; fields that only echo the request's settings back are
  left out), the ``annotations`` (citations) and ``logprobs`` of the text parts in
  order, ``refusal`` text, and under :data:`~.history.ITEMS_KEY` the output itself when
  the neutral parts cannot spell it (reasoning to send back, built-in tool calls, ids).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fluent_ai.providers.response_fields import optional_mapping, optional_text
from fluent_ai.providers.responses.errors import failure
from fluent_ai.providers.responses.history import ITEMS_KEY, spelled_neutrally
from fluent_ai.providers.responses.output import has_tool_calls, output_events, output_parts
from fluent_ai.types import (
    BadResponseError,
    Finish,
    FinishReason,
    Message,
    ProviderData,
    ResponseStart,
    StreamError,
    StreamEvent,
    Usage,
    UsageUpdate,
)

READ = frozenset(
    {
        "id",
        "object",
        "model",
        "output",
        "output_text",
        "usage",
        "status",
        "incomplete_details",
        "error",
    }
)
"""Response fields read into neutral events (``output_text`` is an SDK convenience copy)."""

ECHO = frozenset(
    {
        "instructions",
        "input",
        "tools",
        "tool_choice",
        "temperature",
        "top_p",
        "top_logprobs",
        "frequency_penalty",
        "presence_penalty",
        "text",
        "reasoning",
        "truncation",
        "parallel_tool_calls",
        "max_output_tokens",
        "max_tool_calls",
        "metadata",
        "store",
        "background",
        "previous_response_id",
        "conversation",
        "prompt",
        "prompt_cache_key",
        "prompt_cache_retention",
        "safety_identifier",
        "user",
    }
)
"""Response fields that repeat the request's settings: the caller already has them."""

_INCOMPLETE = {
    "max_output_tokens": FinishReason.LENGTH,
    "content_filter": FinishReason.CONTENT_FILTER,
}


def decode_response(body: Mapping[str, Any], *, provider: str) -> list[StreamEvent]:
    output = body.get("output") or []
    if not isinstance(output, list) or not all(isinstance(item, Mapping) for item in output):
        raise BadResponseError(
            "a response whose output is not a list of items", provider=provider, body=dict(body)
        )
    start = ResponseStart(
        id=optional_text(body, "id", provider), model=optional_text(body, "model", provider)
    )
    return [
        start,
        *output_events(output),
        *final_events(body, output, tool_calls=has_tool_calls(output), provider=provider),
    ]


def final_events(
    response: Mapping[str, Any],
    output: Sequence[Mapping[str, Any]],
    *,
    tool_calls: bool,
    provider: str,
) -> list[StreamEvent]:
    """Usage, the provider data, and how the answer ended, from the final response object.

    The finish comes last, as in every protocol (:mod:`fluent_ai.providers.ordering`).
    """
    events: list[StreamEvent] = []
    if isinstance(response.get("usage"), Mapping):
        events.append(UsageUpdate(read_usage(response["usage"], provider)))
    data = provider_data(response, output, provider=provider)
    if data:
        events.append(ProviderData(data))
    if response.get("status") == "failed" or response.get("error"):
        error = failure(response.get("error"), provider=provider, body=dict(response))
        events.append(StreamError(error))
    else:
        end = finish(response, tool_calls=tool_calls)
        if end is not None:
            events.append(end)
    return events


def read_usage(raw: Mapping[str, Any], provider: str | None = None) -> Usage:
    inputs = optional_mapping(raw, "input_tokens_details", provider)
    outputs = optional_mapping(raw, "output_tokens_details", provider)
    return Usage(
        input_tokens=raw.get("input_tokens") or 0,
        output_tokens=raw.get("output_tokens") or 0,
        cache_read_tokens=inputs.get("cached_tokens") or 0,
        cache_write_tokens=inputs.get("cache_write_tokens") or 0,
        reasoning_tokens=outputs.get("reasoning_tokens") or 0,
        details=dict(raw),
    )


def finish(response: Mapping[str, Any], *, tool_calls: bool) -> Finish | None:
    status = response.get("status")
    if status == "completed":
        return Finish(FinishReason.TOOL_CALLS if tool_calls else FinishReason.STOP, status)
    if status == "incomplete":
        details = optional_mapping(response, "incomplete_details", None)
        reason = str(details.get("reason") or status)
        return Finish(_INCOMPLETE.get(reason, FinishReason.OTHER), reason)
    return Finish(FinishReason.OTHER, status) if isinstance(status, str) else None


def provider_data(
    response: Mapping[str, Any], output: Sequence[Mapping[str, Any]], *, provider: str
) -> dict[str, Any]:
    data = {
        key: value
        for key, value in response.items()
        if key not in READ and key not in ECHO and not _empty(value)
    }
    annotations: list[Any] = []
    logprobs: list[Any] = []
    refusal: list[str] = []
    for item in output:
        if item.get("type") != "message" or not isinstance(item.get("content"), list):
            continue
        for part in item["content"]:
            annotations.extend(part.get("annotations") or ())
            logprobs.extend(part.get("logprobs") or ())
            if part.get("type") == "refusal" and isinstance(part.get("refusal"), str):
                refusal.append(part["refusal"])
    for key, value in (("annotations", annotations), ("logprobs", logprobs)):
        if value:
            data[key] = value
    if refusal:
        data["refusal"] = "".join(refusal)
    message = Message(role="assistant", parts=output_parts(output))
    if output and not spelled_neutrally(message, output, provider=provider):
        data[ITEMS_KEY] = [[dict(item) for item in output]]
    return data


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | dict) and not value)
