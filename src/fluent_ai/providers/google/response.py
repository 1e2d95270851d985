"""Gemini responses as stream events, one ``GenerateContentResponse`` at a time.

A streamed answer is a run of ``GenerateContentResponse`` objects and a whole answer is
one of them, so both go through :class:`ResponseReader`: a whole response is a stream
of one chunk. Only the first candidate is the answer; further ones (``candidateCount``)
arrive as :class:`ProviderData` under ``candidates``.

Parts: thought text is thinking, other text is the answer, each ``functionCall`` is a
whole tool call (Gemini never splits one), and a ``thoughtSignature`` comes first as a
:class:`ThinkingDelta` holding it (see :mod:`~fluent_ai.providers.google.parts`). Parts
with no neutral event (code execution, generated images) make the reader hand over the
whole content, every part in order, under
:data:`~fluent_ai.providers.google.history.CONTENTS_KEY`.

Usage: ``promptTokenCount`` includes cached tokens, as the neutral ``input_tokens``
does; ``toolUsePromptTokenCount`` (what built-in tools such as search or URL context
fed the model) is billed as input and added to it. Gemini's ``candidatesTokenCount``
leaves thinking out, so ``output_tokens`` is candidates plus ``thoughtsTokenCount``,
which is also ``reasoning_tokens``; ``cachedContentTokenCount`` is
``cache_read_tokens``. Every other count, ``toolUsePromptTokenCount`` included, is kept
in ``Usage.details``. Each chunk carries the usage so far, so each gives an update.

Finish: ``STOP`` after function calls is ``tool_calls`` (Gemini says ``STOP`` either
way); blocked output of any kind is ``content_filter``; a malformed or unexpected tool
call is ``error``. A prompt Gemini refused (``promptFeedback.blockReason``) is a
:class:`~fluent_ai.types.ContentFilteredError`, sent as a :class:`StreamError`.

Other fields (``groundingMetadata``, ``citationMetadata``, ``urlContextMetadata``,
``safetyRatings``, ``finishMessage``, logprobs, ``createTime``, …) arrive as one
:class:`ProviderData` at the end, under their own names; over a stream each keeps its
last non-empty value, except citation sources, which add up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.google.history import CONTENTS_KEY
from fluent_ai.providers.google.parts import CallIds
from fluent_ai.providers.ordering import finish_last
from fluent_ai.providers.response_fields import (
    optional_list,
    optional_mapping,
    optional_objects,
    optional_text,
    required_text,
)
from fluent_ai.types import (
    BadResponseError,
    ContentFilteredError,
    Finish,
    FinishReason,
    ProviderData,
    ResponseStart,
    StreamError,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    Usage,
    UsageUpdate,
)

_FILTERED = (
    "SAFETY",
    "RECITATION",
    "BLOCKLIST",
    "PROHIBITED_CONTENT",
    "SPII",
    "IMAGE_SAFETY",
    "IMAGE_PROHIBITED_CONTENT",
    "IMAGE_RECITATION",
)
_FAILED = (
    "MALFORMED_FUNCTION_CALL",
    "UNEXPECTED_TOOL_CALL",
    "TOO_MANY_TOOL_CALLS",
    "MISSING_THOUGHT_SIGNATURE",
    "MALFORMED_RESPONSE",
)
FINISH_REASONS: dict[str, FinishReason] = {
    "STOP": FinishReason.STOP,
    "MAX_TOKENS": FinishReason.LENGTH,
    **dict.fromkeys(_FILTERED, FinishReason.CONTENT_FILTER),
    **dict.fromkeys(_FAILED, FinishReason.ERROR),
}
"""Gemini finish reasons with a neutral twin; the rest (``OTHER``, ``LANGUAGE``, …) are OTHER."""

_READ_TOP = frozenset({"candidates", "usageMetadata", "modelVersion", "responseId"})
_READ_CANDIDATE = frozenset({"content", "finishReason", "index"})
_COUNTED = frozenset(
    {"promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount"}
)
_NEUTRAL_KEYS = frozenset({"text", "thought", "thoughtSignature", "functionCall"})
_CALL_KEYS = frozenset({"id", "name", "args"})


def read_usage(usage: Mapping[str, Any]) -> Usage:
    thoughts = usage.get("thoughtsTokenCount") or 0
    return Usage(
        input_tokens=(usage.get("promptTokenCount") or 0)
        + (usage.get("toolUsePromptTokenCount") or 0),
        output_tokens=(usage.get("candidatesTokenCount") or 0) + thoughts,
        cache_read_tokens=usage.get("cachedContentTokenCount") or 0,
        reasoning_tokens=thoughts,
        details={k: v for k, v in usage.items() if k not in _COUNTED and v is not None},
    )


def finish(raw: str, *, called: bool) -> Finish:
    if raw == "STOP" and called:
        return Finish(FinishReason.TOOL_CALLS, raw)
    return Finish(FINISH_REASONS.get(raw, FinishReason.OTHER), raw)


def decode_response(body: Mapping[str, Any], *, provider: str) -> list[StreamEvent]:
    reader = ResponseReader(provider=provider)
    return finish_last([*reader.read(body), *reader.end()])


class ResponseReader:
    """Feed it each ``GenerateContentResponse``; :meth:`end` gives the gathered extras."""

    def __init__(self, *, provider: str) -> None:
        self.provider = provider
        self.finished = False  # a finish reason or a blocked prompt arrived
        self._started = False
        self._calls = CallIds()
        self._tools = 0
        self._parts: list[dict[str, Any]] = []  # the content as it would be sent back
        self._verbatim = False
        self._extra: dict[str, Any] = {}

    def read(self, chunk: Mapping[str, Any]) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        if not self._started:
            self._started = True
            response_id = optional_text(chunk, "responseId", self.provider)
            self._calls = CallIds(f"call-{response_id}-" if response_id else "call-")
            model = optional_text(chunk, "modelVersion", self.provider)
            events.append(ResponseStart(id=response_id, model=model))
        candidates = optional_list(chunk, "candidates", self.provider)
        if candidates:
            events.extend(self._candidate(candidates[0]))
        if len(candidates) > 1:
            self._extra["candidates"] = candidates[1:]
        if usage := optional_mapping(chunk, "usageMetadata", self.provider):
            events.append(UsageUpdate(read_usage(usage)))
        reason = optional_text(candidates[0], "finishReason", self.provider) if candidates else None
        if reason:
            self.finished = True
            events.append(finish(reason, called=self._tools > 0))
        self._gather(chunk, _READ_TOP)
        feedback = optional_mapping(chunk, "promptFeedback", self.provider)
        if feedback.get("blockReason"):
            self.finished = True
            events.append(StreamError(self._blocked(feedback)))
        return events

    def end(self) -> list[StreamEvent]:
        """One :class:`ProviderData` with everything that had no event, if anything."""
        data = dict(self._extra)
        if self._verbatim:
            data[CONTENTS_KEY] = [{"role": "model", "parts": self._parts}]
        return [ProviderData(data)] if data else []

    def _candidate(self, candidate: Mapping[str, Any]) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        if not isinstance(candidate, Mapping):
            raise BadResponseError(
                f"a candidate should be an object, not {candidate!r:.80}", provider=self.provider
            )
        content = optional_mapping(candidate, "content", self.provider)
        for part in optional_objects(content, "parts", self.provider):
            events.extend(self._part(part))
        self._gather(candidate, _READ_CANDIDATE)
        return events

    def _part(self, part: Mapping[str, Any]) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        kept = dict(part)
        self._parts.append(kept)
        if signature := optional_text(part, "thoughtSignature", self.provider):
            events.append(ThinkingDelta(signature=signature))
        text = optional_text(part, "text", self.provider)
        call = part.get("functionCall")
        if part.get("thought"):
            events.extend([ThinkingDelta(text)] if text else [])
        elif isinstance(text, str):
            events.extend([TextDelta(text)] if text else [])
        elif isinstance(call, Mapping):
            events.extend(self._call(call, kept))
        neutral_call = not isinstance(call, Mapping) or call.keys() <= _CALL_KEYS
        if not (part.keys() <= _NEUTRAL_KEYS and neutral_call):
            self._verbatim = True
        return events

    def _call(self, call: Mapping[str, Any], kept: dict[str, Any]) -> list[StreamEvent]:
        index = self._tools
        self._tools += 1
        name = required_text(call, "name", self.provider)
        call_id = self._calls.call(name, optional_text(call, "id", self.provider))
        kept["functionCall"] = {**call, "id": call_id}
        arguments = json.dumps(call.get("args") or {}, ensure_ascii=False)
        return [
            ToolCallStart(index, call_id, name),
            ToolCallDelta(index, arguments),
            ToolCallEnd(index),
        ]

    def _gather(self, source: Mapping[str, Any], read: frozenset[str]) -> None:
        for key, value in source.items():
            if key in read or value in (None, "", {}, []):
                continue
            old = self._extra.get(key)
            if key == "citationMetadata" and isinstance(old, dict) and isinstance(value, dict):
                sources = [*old.get("citationSources", ()), *value.get("citationSources", ())]
                value = {**old, **value, "citationSources": sources}
            self._extra[key] = value

    def _blocked(self, feedback: Mapping[str, Any]) -> ContentFilteredError:
        reason = str(feedback["blockReason"])
        detail = feedback.get("blockReasonMessage")
        return ContentFilteredError(
            f"Gemini blocked the prompt ({reason})" + (f": {detail}" if detail else ""),
            provider=self.provider,
            code=reason,
            body=dict(feedback),
        )
