"""Answers back into Responses bodies and stream events: what a gateway sends.

The inverse of :mod:`.response` and :mod:`.stream`. A neutral answer becomes output
items — thinking a ``reasoning`` item with one summary text, text a ``message`` item
with one ``output_text`` part, each tool call a ``function_call`` item named by its
``call_id`` — in the order the answer holds them, so this module's own decoders read
back the same answer (tested as a property).

The status says how it ended: ``completed``, or ``incomplete`` with
``max_output_tokens`` (a length finish) or ``content_filter``. The Responses format has
no finish for an upstream's error or for a reason no word fits: those answers are sent
as ``completed``, and a reader infers tool calls from the output, as OpenAI's does.
"""

from __future__ import annotations

import uuid
from typing import Any

from fluent_ai.types import (
    ChatResponse,
    Finish,
    FinishReason,
    ResponseStart,
    StreamEvent,
    TextDelta,
    TextPart,
    ThinkingDelta,
    ThinkingPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

INCOMPLETE = {
    FinishReason.LENGTH: "max_output_tokens",
    FinishReason.CONTENT_FILTER: "content_filter",
}

Event = tuple[str, dict[str, Any]]
"""An SSE event's name and its data object (the name repeats the data's ``type``)."""


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def usage_body(usage: Usage) -> dict[str, Any]:
    inputs: dict[str, int] = {"cached_tokens": usage.cache_read_tokens}
    if usage.cache_write_tokens:
        inputs["cache_write_tokens"] = usage.cache_write_tokens
    return {
        "input_tokens": usage.input_tokens,
        "input_tokens_details": inputs,
        "output_tokens": usage.output_tokens,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
        "total_tokens": usage.total_tokens,
    }


def reasoning_item(text: str, item_id: str | None = None) -> dict[str, Any]:
    summary = [{"type": "summary_text", "text": text}] if text else []
    return {"type": "reasoning", "id": item_id or _id("rs"), "summary": summary}


def message_item(
    text: str, item_id: str | None = None, status: str = "completed"
) -> dict[str, Any]:
    content = [{"type": "output_text", "text": text, "annotations": []}] if text else []
    return {
        "type": "message",
        "id": item_id or _id("msg"),
        "status": status,
        "role": "assistant",
        "content": content,
    }


def call_item(
    call_id: str, name: str, arguments: str, item_id: str | None = None, status: str = "completed"
) -> dict[str, Any]:
    return {
        "type": "function_call",
        "id": item_id or _id("fc"),
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
        "status": status,
    }


def response_body(
    output: list[dict[str, Any]],
    *,
    response_id: str,
    model: str,
    created: int,
    usage: Usage | None,
    reason: FinishReason | None,
) -> dict[str, Any]:
    """The response object, whole (``usage`` ``None`` while a stream is in progress)."""
    body: dict[str, Any] = {
        "id": response_id,
        "object": "response",
        "created_at": created,
        "model": model,
        "output": output,
        "error": None,
        "incomplete_details": None,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }
    if usage is None:
        body.update(status="in_progress", usage=None)
        return body
    body["status"], body["usage"] = "completed", usage_body(usage)
    if reason in INCOMPLETE:
        body["status"], body["incomplete_details"] = "incomplete", {"reason": INCOMPLETE[reason]}
    return body


def answer_body(response: ChatResponse, *, model: str, created: int) -> dict[str, Any]:
    """A whole answer as a Responses body; ``model`` is the name the caller asked for."""
    output: list[dict[str, Any]] = []
    for part in response.message.parts:
        if isinstance(part, ThinkingPart) and part.text:
            output.append(reasoning_item(part.text))
        elif isinstance(part, TextPart) and part.text:
            output.append(message_item(part.text))
        elif isinstance(part, ToolCallPart):
            output.append(call_item(part.id, part.name, part.arguments))
    return response_body(
        output,
        response_id=response.id or _id("resp"),
        model=model,
        created=created,
        usage=response.usage,
        reason=response.finish_reason,
    )


class EventEncoder:
    """One stream's events as Responses SSE events.

    Text and thinking flow into one open ``message`` or ``reasoning`` item, which the next
    different event closes (``*.done`` events, then ``response.output_item.done`` with
    the whole item); each tool call is its own item, open until its
    :class:`~fluent_ai.types.ToolCallEnd`. The finish sends ``response.completed`` (or
    ``response.incomplete``) with every item and the usage.
    """

    def __init__(self, *, model: str, created: int) -> None:
        self._model = model
        self._created = created
        self._id: str | None = None
        self._sequence = 0
        self._output: list[dict[str, Any]] = []
        self._open: tuple[str, int, list[str]] | None = None  # kind, output index, pieces
        self._calls: dict[int, tuple[int, list[str]]] = {}  # tool index -> item, arguments
        self._usage = Usage()

    def encode(self, event: StreamEvent) -> list[Event]:
        """The SSE events ``event`` makes (none for those Responses has no event for)."""
        match event:
            case TextDelta(text=text):
                return self._flowing("message", text)
            case ResponseStart(id=given):
                return self._start(given)
            case ThinkingDelta(text=text):
                return self._flowing("reasoning", text) if text else []
            case ToolCallStart(index=index, id=call_id, name=name):
                out = self._start(None) + self._close_flowing()
                item = call_item(call_id, name, "", status="in_progress")
                self._calls[index] = (len(self._output), [])
                return [*out, self._added(item)]
            case ToolCallDelta(index=index, arguments=arguments):
                at, pieces = self._calls[index]
                pieces.append(arguments)
                data = {"item_id": self._output[at]["id"], "output_index": at, "delta": arguments}
                return [self._event("response.function_call_arguments.delta", data)]
            case ToolCallEnd(index=index):
                return self._end_call(index)
            case UsageUpdate(usage=usage):
                self._usage = usage
                return []
            case Finish(reason=reason):
                return self._finish(reason)
        return []

    def _event(self, kind: str, data: dict[str, Any]) -> Event:
        self._sequence += 1
        return kind, {"type": kind, "sequence_number": self._sequence, **data}

    def _start(self, given: str | None) -> list[Event]:
        if self._id is not None:
            return []
        self._id = given or _id("resp")
        body = self._body(None, None)
        return [self._event("response.created", {"response": body})]

    def _body(self, usage: Usage | None, reason: FinishReason | None) -> dict[str, Any]:
        return response_body(
            list(self._output),
            response_id=self._id or _id("resp"),
            model=self._model,
            created=self._created,
            usage=usage,
            reason=reason,
        )

    def _added(self, item: dict[str, Any]) -> Event:
        self._output.append(item)
        data = {"output_index": len(self._output) - 1, "item": dict(item)}
        return self._event("response.output_item.added", data)

    def _flowing(self, kind: str, text: str) -> list[Event]:
        out = self._start(None)
        if self._open is None or self._open[0] != kind:
            out += self._close_flowing()
            empty = (
                message_item("", status="in_progress") if kind == "message" else reasoning_item("")
            )
            out.append(self._added(empty))
            self._open = (kind, len(self._output) - 1, [])
            out.append(self._part(kind, "added", "", len(self._output) - 1))
        _, at, pieces = self._open
        pieces.append(text)
        where = {"item_id": self._output[at]["id"], "output_index": at}
        if kind == "message":
            data = {**where, "content_index": 0, "delta": text}
            out.append(self._event("response.output_text.delta", data))
        else:
            data = {**where, "summary_index": 0, "delta": text}
            out.append(self._event("response.reasoning_summary_text.delta", data))
        return out

    def _part(self, kind: str, stage: str, text: str, at: int) -> Event:
        where = {"item_id": self._output[at]["id"], "output_index": at}
        if kind == "message":
            part = {"type": "output_text", "text": text, "annotations": []}
            return self._event(
                f"response.content_part.{stage}", {**where, "content_index": 0, "part": part}
            )
        part = {"type": "summary_text", "text": text}
        return self._event(
            f"response.reasoning_summary_part.{stage}", {**where, "summary_index": 0, "part": part}
        )

    def _close_flowing(self) -> list[Event]:
        if self._open is None:
            return []
        kind, at, pieces = self._open
        text = "".join(pieces)
        out = [self._part(kind, "done", text, at)]
        item_id = self._output[at]["id"]
        whole = message_item(text, item_id) if kind == "message" else reasoning_item(text, item_id)
        self._output[at] = whole
        self._open = None
        out.append(self._event("response.output_item.done", {"output_index": at, "item": whole}))
        return out

    def _end_call(self, index: int) -> list[Event]:
        at, pieces = self._calls.pop(index)
        started = self._output[at]
        arguments = "".join(pieces)
        whole = call_item(started["call_id"], started["name"], arguments, started["id"])
        self._output[at] = whole
        where = {"item_id": whole["id"], "output_index": at}
        done = {**where, "arguments": arguments}
        return [
            self._event("response.function_call_arguments.done", done),
            self._event("response.output_item.done", {"output_index": at, "item": whole}),
        ]

    def _finish(self, reason: FinishReason) -> list[Event]:
        out = self._start(None) + self._close_flowing()
        for index in list(self._calls):
            out += self._end_call(index)
        body = self._body(self._usage, reason)
        kind = "response.incomplete" if body["status"] == "incomplete" else "response.completed"
        out.append(self._event(kind, {"response": body}))
        return out
