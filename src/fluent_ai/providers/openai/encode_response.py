"""Answers back into Chat Completions bodies and chunks: what a gateway sends.

The inverse of :mod:`.decode_response` and :mod:`.stream`. A gateway answering an
OpenAI client with whatever model served the call (Claude, Gemini, the local model)
writes the neutral answer in OpenAI's words: a ``chat.completion`` body for a whole
answer, ``chat.completion.chunk`` messages for a stream. Written so that this module's
own decoders read back the same answer (tested as a property), with visible thinking
under DeepSeek's ``reasoning_content``, the field OpenAI-compatible clients read.

Fields with no neutral home (:class:`~fluent_ai.types.ProviderData`) are not written:
another vendor's fields would mean nothing to an OpenAI client.
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
    ThinkingDelta,
    ToolCallDelta,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

FINISH_WORDS = {
    FinishReason.STOP: "stop",
    FinishReason.LENGTH: "length",
    FinishReason.TOOL_CALLS: "tool_calls",
    FinishReason.CONTENT_FILTER: "content_filter",
    FinishReason.ERROR: "error",
    FinishReason.OTHER: "stop",
}
"""OpenAI's word for each neutral reason; one it has no word for is a plain stop."""


def completion_id(given: str | None) -> str:
    """The answer's id as OpenAI spells them, keeping one the upstream gave."""
    return given or f"chatcmpl-{uuid.uuid4().hex}"


def usage_body(usage: Usage) -> dict[str, Any]:
    """A ``usage`` object, with the cached and reasoning counts where OpenAI puts them."""
    prompt: dict[str, int] = {"cached_tokens": usage.cache_read_tokens}
    if usage.cache_write_tokens:
        prompt["cache_write_tokens"] = usage.cache_write_tokens
    return {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
        "prompt_tokens_details": prompt,
        "completion_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
    }


def completion_body(response: ChatResponse, *, model: str, created: int) -> dict[str, Any]:
    """A whole answer as a ``chat.completion`` body; ``model`` is the name the caller
    asked for (the client matches on it), ``created`` the Unix time."""
    message: dict[str, Any] = {"role": "assistant", "content": response.text or None}
    if response.thinking:
        message["reasoning_content"] = response.thinking
    calls = response.tool_calls
    if calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in calls
        ]
    reason = response.finish_reason or FinishReason.STOP
    return {
        "id": completion_id(response.id),
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": FINISH_WORDS[reason],
                "logprobs": None,
            }
        ],
        "usage": usage_body(response.usage),
    }


class ChunkEncoder:
    """One stream's events as ``chat.completion.chunk`` objects, in OpenAI's order.

    OpenAI sends the ``finish_reason`` chunk, then (when the client asked with
    ``stream_options.include_usage``) a last chunk with the usage and no choices; the
    neutral stream has the usage first, so it is held until the finish. Tool-call
    fragments are keyed by ``index`` as OpenAI keys them.
    """

    def __init__(self, *, model: str, created: int, include_usage: bool = False) -> None:
        self._model = model
        self._created = created
        self._include_usage = include_usage
        self._id: str | None = None
        self._usage = Usage()
        self._started = False

    def encode(self, event: StreamEvent) -> list[dict[str, Any]]:
        """The chunks ``event`` makes (none for those OpenAI has no chunk for)."""
        match event:
            case TextDelta(text=text):
                return self._delta({"content": text})
            case ResponseStart(id=given):
                self._id = self._id or given
                return self._delta({})
            case ThinkingDelta(text=text):
                return self._delta({"reasoning_content": text}) if text else []
            case ToolCallStart(index=index, id=call_id, name=name):
                function = {"name": name, "arguments": ""}
                call = {"index": index, "id": call_id, "type": "function", "function": function}
                return self._delta({"tool_calls": [call]})
            case ToolCallDelta(index=index, arguments=arguments):
                fragment = {"index": index, "function": {"arguments": arguments}}
                return self._delta({"tool_calls": [fragment]})
            case UsageUpdate(usage=usage):
                self._usage = usage
                return []
            case Finish(reason=reason):
                return self._finish(reason)
        return []

    def _delta(self, delta: dict[str, Any]) -> list[dict[str, Any]]:
        chunks: list[dict[str, Any]] = []
        if not self._started:
            self._started = True
            chunks.append(self._chunk({"role": "assistant", "content": ""}, None))
            if not delta:
                return chunks
        chunks.append(self._chunk(delta, None))
        return chunks

    def _finish(self, reason: FinishReason) -> list[dict[str, Any]]:
        chunks = self._delta({}) if not self._started else []
        chunks.append(self._chunk({}, FINISH_WORDS[reason]))
        if self._include_usage:
            last = self._envelope()
            last["choices"], last["usage"] = [], usage_body(self._usage)
            chunks.append(last)
        return chunks

    def _chunk(self, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
        chunk = self._envelope()
        chunk["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]
        return chunk

    def _envelope(self) -> dict[str, Any]:
        self._id = completion_id(self._id)
        return {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self._model,
        }
