"""A :class:`ChatRequest` as the JSON body of ``generateContent``.

Gemini differs from the neutral request in a few ways this module settles:

* The model and whether to stream are in the URL (see
  :meth:`~fluent_ai.providers.google.protocol.GeminiProtocol.path`), never in the body.
* The system prompt is ``systemInstruction``. ``ChatRequest.system`` and the system
  messages that open the conversation are joined into it; Gemini has no system turn
  later in a conversation, so such a message is refused rather than moved.
* Turns are ``user`` and ``model``. Tool results travel in user turns, and consecutive
  tool messages (one per call, as OpenAI-style histories have them) are joined into
  one, because Gemini wants the responses to all of a turn's calls together.
* Sampling and output settings live in ``generationConfig``.
* Gemini takes no request ``metadata``: asking for it raises rather than dropping it.

``ChatRequest.extra`` is merged last (:func:`merge_extra`), so anything Gemini offers
beyond the neutral fields can be set there: ``generationConfig`` entries (``topK``,
``thinkingConfig``, ``responseModalities``, …), ``safetySettings``, ``cachedContent``,
Gemini's own tools, or Vertex ``labels``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.google.history import CONTENTS_KEY, Content, VerbatimContents
from fluent_ai.providers.google.options import (
    GENERATION_FIELDS,
    declared_names,
    encode_response_format,
    encode_tool_config,
    encode_tools,
)
from fluent_ai.providers.google.parts import encode_parts
from fluent_ai.types import ChatRequest, Message, UnsupportedFeatureError

_ROLES = {"user": "user", "assistant": "model", "tool": "user"}
_MERGED = frozenset({"generationConfig", "toolConfig"})


def encode_request(request: ChatRequest) -> dict[str, Any]:
    if request.metadata is not None:
        raise UnsupportedFeatureError("Gemini takes no request metadata", provider="google")
    system, messages = _split_system(request)
    body: dict[str, Any] = {
        "contents": encode_contents(messages, request.extra.get(CONTENTS_KEY, []))
    }
    if system is not None:
        body["systemInstruction"] = {"role": "user", "parts": [{"text": system}]}
    config = {
        wire: value
        for wire, field in GENERATION_FIELDS
        if (value := getattr(request, field)) is not None
    }
    config.update(encode_response_format(request.response_format))
    if config:
        body["generationConfig"] = config
    if request.tools:
        tools = encode_tools(request.tools, shadowed=declared_names(request.extra.get("tools")))
        if tools:
            body["tools"] = tools
    if request.tool_choice is not None:
        body["toolConfig"] = encode_tool_config(request.tool_choice)
    merge_extra(body, request.extra)
    return body


def merge_extra(body: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge provider fields into ``body``, so they add to the neutral ones.

    ``tools`` are appended (Gemini's own tools beside the function declarations);
    ``generationConfig`` and ``toolConfig`` merge into the objects built from neutral
    fields, their keys winning; anything else is set as given. :data:`CONTENTS_KEY` is
    not a wire field and is never merged.
    """
    for key, value in extra.items():
        if key == CONTENTS_KEY:
            continue
        current = body.get(key)
        if key == "tools" and isinstance(current, list) and isinstance(value, list):
            body[key] = [*current, *value]
        elif key in _MERGED and isinstance(current, dict) and isinstance(value, dict):
            body[key] = {**current, **value}
        else:
            body[key] = value


def encode_contents(messages: list[Message], verbatim: object) -> list[Content]:
    """The ``contents`` list; entries of ``extra[CONTENTS_KEY]`` replace the messages they match."""
    names = {call.id: call.name for message in messages for call in message.tool_calls}
    entries = VerbatimContents(verbatim)
    contents: list[Content] = []
    previous = None
    for message in messages:
        content = entries.take(message.parts) or {
            "role": _ROLES[message.role],
            "parts": encode_parts(message.parts, names),
        }
        if message.role == "tool" and previous == "tool":
            contents[-1] = {**contents[-1], "parts": [*contents[-1]["parts"], *content["parts"]]}
        else:
            contents.append(content)
        previous = message.role
    return contents


def _split_system(request: ChatRequest) -> tuple[str | None, list[Message]]:
    """The system instruction, and the conversation after its opening system messages."""
    messages = request.messages
    lead = 0
    while lead < len(messages) and messages[lead].role == "system":
        lead += 1
    if any(message.role == "system" for message in messages[lead:]):
        raise UnsupportedFeatureError(
            "Gemini takes system instructions only before the conversation: move the "
            "system message to the start, or send it as a user message",
            provider="google",
        )
    texts = [] if request.system is None else [request.system]
    texts.extend(message.text for message in messages[:lead])
    return ("\n\n".join(texts) if texts else None), messages[lead:]
