"""A :class:`ChatRequest` as the JSON body of ``POST /v1/messages``.

Anthropic differs from the neutral request in a few ways this module settles:

* ``max_tokens`` is required: a request without one gets :data:`DEFAULT_MAX_TOKENS`.
* The system prompt is a top-level field. ``ChatRequest.system`` and the system
  messages that open the conversation are joined into it; a system message later in
  the conversation stays where it is, as Anthropic accepts.
* Tool results travel in user turns: a ``tool`` message becomes a user message, and
  consecutive tool messages (one per call, as OpenAI-style histories have them) are
  joined into one, because Anthropic wants all results for a turn's calls together.
* Anthropic has no ``seed``: asking for one raises rather than being dropped.

``ChatRequest.extra`` is merged last (:func:`merge_extra`), so anything Anthropic
offers beyond the neutral fields (``thinking``, ``top_k``, ``mcp_servers``, top-level
``cache_control``, …) can be set there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.anthropic.blocks import encode_content
from fluent_ai.providers.anthropic.history import CONTENT_KEY, VerbatimContent
from fluent_ai.providers.anthropic.options import (
    encode_output_config,
    encode_tool,
    encode_tool_choice,
)
from fluent_ai.types import ChatRequest, Message, UnsupportedFeatureError

DEFAULT_MAX_TOKENS = 4096
"""Sent when a request sets no ``max_tokens``: enough for a long answer on every
Claude model, and small enough for the oldest (Claude 3 Haiku allows 4096)."""

_ROLES = {"user": "user", "assistant": "assistant", "tool": "user", "system": "system"}


def encode_request(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    if request.seed is not None:
        raise UnsupportedFeatureError("Anthropic does not take a seed", provider="anthropic")
    system, messages = _split_system(request)
    body: dict[str, Any] = {
        "model": request.model,
        "max_tokens": DEFAULT_MAX_TOKENS if request.max_tokens is None else request.max_tokens,
    }
    if system is not None:
        body["system"] = system
    body["messages"] = _encode_messages(messages, request.extra.get(CONTENT_KEY, []))
    body["stream"] = stream
    if request.temperature is not None:
        body["temperature"] = request.temperature
    if request.top_p is not None:
        body["top_p"] = request.top_p
    if request.stop is not None:
        body["stop_sequences"] = request.stop
    if request.metadata is not None:
        body["metadata"] = request.metadata
    if request.tools is not None:
        body["tools"] = [encode_tool(tool) for tool in request.tools]
    if request.tool_choice is not None:
        body["tool_choice"] = encode_tool_choice(request.tool_choice)
    if request.response_format is not None:
        output_config = encode_output_config(request.response_format)
        if output_config is not None:
            body["output_config"] = output_config
    merge_extra(body, request.extra)
    return body


def merge_extra(body: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge provider fields into ``body``, so they add to the neutral ones.

    ``tools`` are appended (server tools beside typed function tools); an object merges
    into the object already there, its keys winning (``tool_choice``'s
    ``disable_parallel_tool_use``, ``output_config``'s ``effort``); anything else is set
    as given. :data:`CONTENT_KEY` is not a wire field and is never merged.
    """
    for key, value in extra.items():
        if key == CONTENT_KEY:
            continue
        current = body.get(key)
        if key == "tools" and isinstance(current, list) and isinstance(value, list):
            body[key] = [*current, *value]
        elif isinstance(current, dict) and isinstance(value, dict):
            body[key] = {**current, **value}
        else:
            body[key] = value


def _split_system(request: ChatRequest) -> tuple[str | None, list[Message]]:
    """The top-level system prompt, and the conversation after its opening system messages."""
    messages = request.messages
    lead = 0
    while lead < len(messages) and messages[lead].role == "system":
        lead += 1
    texts = [] if request.system is None else [request.system]
    texts.extend(message.text for message in messages[:lead])
    return ("\n\n".join(texts) if texts else None), messages[lead:]


def _encode_messages(messages: list[Message], contents: object) -> list[dict[str, Any]]:
    verbatim = VerbatimContent(contents)
    wire: list[dict[str, Any]] = []
    previous = None
    for message in messages:
        content = verbatim.take(message.parts)
        if content is None:
            content = encode_content(message.parts)
        if message.role == "tool" and previous == "tool":
            wire[-1]["content"] = [*wire[-1]["content"], *content]
        else:
            wire.append({"role": _ROLES[message.role], "content": content})
        previous = message.role
    return wire
