"""``ChatRequest`` to a Chat Completions request body.

The field renderers (:func:`render_tools`, :func:`render_tool_choice`, …) are also what
:mod:`.decode_request` uses to check that a field it reads comes back unchanged, so
the two directions cannot drift apart.

Spelling choices, where the wire format allows several for the same meaning:

* a message whose only part is text is sent as a plain string, anything else as a list
  of content parts;
* an assistant turn with no text sends ``"content": null`` (DeepSeek requires the key;
  OpenAI, OpenRouter and the others accept it);
* each tool result is its own ``tool`` message, sent before the rest of the message
  it came in, because a ``tool`` message must follow the assistant turn it answers; the
  wire has no error flag or tool name for it, so ``is_error`` and ``name`` stay behind
  (the content says what went wrong);
* thinking goes back only where the vendor has a field for it
  (:attr:`Quirks.reasoning_field <.quirks.Quirks.reasoning_field>`); signed or
  redacted thinking (Anthropic's) has no Chat Completions form and is left out;
* a ``response_format`` marked strict carries its schema in OpenAI's strict form
  (:func:`~fluent_ai.providers.strict_schema.openai_strict`), one asking for no
  strictness carries it as given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fluent_ai.providers.openai.quirks import Quirks
from fluent_ai.providers.strict_schema import openai_strict
from fluent_ai.types import (
    ChatRequest,
    DocumentPart,
    ImagePart,
    Message,
    Part,
    ResponseFormat,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    UnsupportedFeatureError,
)


def encode_request(
    request: ChatRequest, quirks: Quirks, *, provider: str, stream: bool
) -> dict[str, Any]:
    """The JSON body for ``POST /chat/completions``.

    ``request.extra`` is merged last, so a caller can set any vendor field. The call
    mode is not the caller's to override: ``stream`` always says how this call is made,
    and ``stream_options`` (which OpenAI rejects on a non-streaming call) is only sent
    when streaming, asking for the final usage chunk unless the caller said otherwise.
    """
    body: dict[str, Any] = {
        "model": request.model,
        "messages": encode_messages(request, quirks, provider=provider),
    }
    if request.temperature is not None:
        body["temperature"] = request.temperature
    if request.top_p is not None:
        body["top_p"] = request.top_p
    if request.max_tokens is not None:
        body[quirks.max_tokens_field] = request.max_tokens
    if request.stop is not None:
        body["stop"] = render_stop(request.stop)
    if request.seed is not None:
        body["seed"] = request.seed
    if request.tools is not None:
        body["tools"] = render_tools(request.tools)
    if request.tool_choice is not None:
        body["tool_choice"] = render_tool_choice(request.tool_choice)
    if request.response_format is not None:
        body["response_format"] = render_response_format(request.response_format)
    if request.metadata is not None:
        body["metadata"] = dict(request.metadata)
    body.update(request.extra)
    body["stream"] = stream
    if stream:
        body.setdefault("stream_options", {"include_usage": True})
    else:
        body.pop("stream_options", None)
    return body


def encode_messages(request: ChatRequest, quirks: Quirks, *, provider: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    if request.system is not None:
        messages.append({"role": quirks.instructions_role, "content": request.system})
    for message in request.messages:
        messages.extend(encode_message(message, quirks, provider=provider))
    return messages


def encode_message(message: Message, quirks: Quirks, *, provider: str) -> list[dict[str, Any]]:
    """One neutral message as one or more wire messages (tool results split out)."""
    parts = message.parts
    if len(parts) == 1 and type(parts[0]) is TextPart and message.role != "tool":
        # By far the commonest message, one text, made here as the general path below
        # makes it, at a fifth of its cost: a long conversation is mostly these.
        plain: dict[str, Any] = {"role": message.role, "content": parts[0].text}
        if message.name is not None:
            plain["name"] = message.name
        return [plain]
    out: list[dict[str, Any]] = [
        {"role": "tool", "tool_call_id": part.tool_call_id, "content": part.content}
        for part in message.parts
        if isinstance(part, ToolResultPart)
    ]
    rest = [part for part in message.parts if not isinstance(part, ToolResultPart)]
    if message.role == "assistant":
        main = _assistant(rest, quirks, provider=provider)
    elif rest or not out:
        # A tool's images or documents cannot go in a ``tool`` message: they follow as user content.
        role = "user" if message.role == "tool" else message.role
        content = [part for part in rest if not isinstance(part, ThinkingPart)]
        main = {"role": role, "content": render_content(content, quirks, provider=provider)}
    else:
        return out
    if message.name is not None:
        main["name"] = message.name
    out.append(main)
    return out


def _assistant(parts: Sequence[Part], quirks: Quirks, *, provider: str) -> dict[str, Any]:
    content = [p for p in parts if not isinstance(p, ThinkingPart | ToolCallPart)]
    wire: dict[str, Any] = {
        "role": "assistant",
        "content": render_content(content, quirks, provider=provider) if content else None,
    }
    thinking = [p for p in parts if isinstance(p, ThinkingPart) and p.redacted is None]
    if quirks.reasoning_field is not None and thinking:
        wire[quirks.reasoning_field] = "".join(p.text for p in thinking)
    calls = [p for p in parts if isinstance(p, ToolCallPart)]
    if calls:
        wire["tool_calls"] = [render_tool_call(call) for call in calls]
    return wire


def render_content(parts: Sequence[Part], quirks: Quirks, *, provider: str) -> Any:
    """A single text part as a string, anything else as a list of content parts."""
    if len(parts) == 1 and isinstance(parts[0], TextPart):
        return parts[0].text
    if not parts:
        return ""
    return [render_part(part, quirks, provider=provider) for part in parts]


def render_part(part: Part, quirks: Quirks, *, provider: str) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ImagePart):
        image: dict[str, Any] = {"url": part.data_url}
        if part.detail is not None:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    if isinstance(part, DocumentPart):
        return {"type": "file", "file": _file(part, quirks, provider=provider)}
    raise UnsupportedFeatureError(
        f"a {part.type} part cannot be sent in message content", provider=provider
    )


def _file(part: DocumentPart, quirks: Quirks, *, provider: str) -> dict[str, Any]:
    if part.url is not None and not quirks.document_urls:
        raise UnsupportedFeatureError(
            f"{provider} takes documents inline only: fetch {part.url} and pass its bytes",
            provider=provider,
        )
    file: dict[str, Any] = {"file_data": part.data_url}
    if part.name is not None:
        file["filename"] = part.name
    return file


def render_tool_call(call: ToolCallPart) -> dict[str, Any]:
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments},
    }


def render_stop(stop: Sequence[str]) -> list[str]:
    return list(stop)


def render_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    rendered = []
    for tool in tools:
        function: dict[str, Any] = {
            "name": tool.name,
            "description": tool.description,
            "parameters": tool.parameters,
        }
        if tool.strict is not None:
            function["strict"] = tool.strict
        rendered.append({"type": "function", "function": function})
    return rendered


def render_tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    if choice.mode == "tool":
        return {"type": "function", "function": {"name": choice.name}}
    return choice.mode


def render_response_format(fmt: ResponseFormat) -> dict[str, Any]:
    """``response_format``; a strict one carries its schema in OpenAI's strict form."""
    if fmt.type != "json_schema":
        return {"type": fmt.type}
    schema: dict[str, Any] = {"name": fmt.name}
    if fmt.description is not None:
        schema["description"] = fmt.description
    if fmt.json_schema is not None:
        schema["schema"] = openai_strict(fmt.json_schema) if fmt.strict else fmt.json_schema
    if fmt.strict is not None:
        schema["strict"] = fmt.strict
    return {"type": "json_schema", "json_schema": schema}
