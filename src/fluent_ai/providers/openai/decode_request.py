"""A Chat Completions request body to a ``ChatRequest`` (the gateway receives them).

The rule that keeps ``encode(decode(body))`` faithful: a top-level field moves into
its neutral home only when rendering the neutral value gives back exactly what the body
said; otherwise it stays in :attr:`ChatRequest.extra` untouched and is sent on as it
came. So ``"stop": "\\n"`` (a string, where the neutral field is a list), ``max_tokens``
under the name this vendor does not use, or a provider-side tool such as
``{"type": "openrouter:web_search"}`` all pass through unchanged. ``stream`` is left
out: it is how the caller wants this call made, not part of what it asks.

Messages are always decoded. What the neutral message cannot record is the wire's
spelling of the same meaning (a string versus one text part, ``content`` null versus
absent, keys set to null); :mod:`.encode` picks one spelling for each. A leading
``developer`` message becomes :attr:`ChatRequest.system`, which is sent back with the
vendor's instructions role (``developer`` for OpenAI), while ``system`` messages keep
their place in the history; together they round-trip both roles.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from pydantic import ValidationError

from fluent_ai.providers.fields import (
    WireField,
    claim_fields,
    integer,
    mapping,
    number,
    same,
    strings,
)
from fluent_ai.providers.openai import fields
from fluent_ai.providers.openai.encode import (
    render_response_format,
    render_stop,
    render_tool_choice,
    render_tools,
)
from fluent_ai.providers.openai.quirks import Quirks
from fluent_ai.types import (
    ChatRequest,
    DocumentPart,
    ImagePart,
    InvalidRequestError,
    Message,
    Part,
    ResponseFormat,
    Role,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    UnsupportedFeatureError,
)


def decode_request(body: Mapping[str, Any], quirks: Quirks, *, provider: str) -> ChatRequest:
    rest = dict(body)
    rest.pop("stream", None)
    model, messages = rest.pop("model", None), rest.pop("messages", None)
    if not isinstance(model, str) or not isinstance(messages, list):
        raise InvalidRequestError(
            "a Chat Completions body needs a string 'model' and a list of 'messages'",
            provider=provider,
        )
    try:
        system, history = _messages(messages, provider=provider)
    except (TypeError, KeyError, AttributeError, ValidationError) as exc:
        raise InvalidRequestError(
            f"malformed message: {type(exc).__name__}: {exc}", provider=provider
        ) from exc
    claimed = claim_fields(_neutral_fields(quirks.max_tokens_field), rest)
    return ChatRequest(model=model, messages=history, system=system, extra=rest, **claimed)


@cache
def _neutral_fields(max_tokens_field: str) -> Mapping[str, WireField]:
    """Wire key -> neutral field, read and rendered back: one table for each spelling
    of ``max_tokens``, made once (making it cost a fifth of decoding a short request)."""
    return {
        "temperature": WireField("temperature", number, same),
        "top_p": WireField("top_p", number, same),
        max_tokens_field: WireField("max_tokens", integer, same),
        "seed": WireField("seed", integer, same),
        "stop": WireField("stop", strings, render_stop),
        "metadata": WireField("metadata", mapping, same),
        "tools": WireField("tools", read_tools, render_tools),
        "tool_choice": WireField("tool_choice", read_tool_choice, render_tool_choice),
        "response_format": WireField(
            "response_format", read_response_format, render_response_format
        ),
    }


def read_tools(value: Any) -> list[ToolSpec]:
    tools = []
    for tool in value:
        function = tool["function"]
        tools.append(
            ToolSpec(
                name=function["name"],
                description=function.get("description", ""),
                parameters=function.get("parameters", {}),
                strict=function.get("strict"),
            )
        )
    return tools


def read_tool_choice(value: Any) -> ToolChoice:
    if isinstance(value, str):
        return ToolChoice.model_validate({"mode": value})
    return ToolChoice(mode="tool", name=value["function"]["name"])


def read_response_format(value: Any) -> ResponseFormat:
    if value.get("type") != "json_schema":
        return ResponseFormat.model_validate({"type": value["type"]})
    spec = value["json_schema"]
    return ResponseFormat(
        type="json_schema",
        name=spec["name"],
        json_schema=spec.get("schema"),
        strict=spec.get("strict"),
        description=spec.get("description"),
    )


def _messages(wire: Sequence[Any], *, provider: str) -> tuple[str | None, list[Message]]:
    system: str | None = None
    messages: list[Message] = []
    for index, message in enumerate(wire):
        if not isinstance(message, dict):
            raise InvalidRequestError(f"messages[{index}] is not an object", provider=provider)
        role = message.get("role")
        content = message.get("content")
        if index == 0 and role == "developer":
            system = _text(content, provider=provider)
            continue
        if role in ("system", "developer"):
            messages.append(_message("system", _parts(content, provider=provider), message))
        elif role == "user":
            messages.append(_message("user", _parts(content, provider=provider), message))
        elif role == "assistant":
            messages.append(_message("assistant", _assistant(message, provider=provider), message))
        elif role == "tool":
            result = ToolResultPart(
                tool_call_id=message["tool_call_id"], content=_text(content, provider=provider)
            )
            messages.append(Message(role="tool", parts=[result]))
        else:
            raise UnsupportedFeatureError(
                f"messages[{index}] has role {role!r}, which has no neutral form",
                provider=provider,
            )
    return system, messages


def _message(role: Role, parts: list[Part], wire: Mapping[str, Any]) -> Message:
    return Message(role=role, parts=parts, name=wire.get("name"))


def _assistant(message: Mapping[str, Any], *, provider: str) -> list[Part]:
    parts: list[Part] = []
    for field in fields.REASONING_FIELDS:
        if isinstance(message.get(field), str):
            parts.append(ThinkingPart(text=message[field]))
            break
    if message.get("content") is not None:
        parts.extend(_parts(message["content"], provider=provider))
    for call in message.get("tool_calls") or ():
        function = call["function"]
        parts.append(
            ToolCallPart(id=call["id"], name=function["name"], arguments=function["arguments"])
        )
    return parts


def _text(content: Any, *, provider: str) -> str:
    """Content that must be text (instructions, tool results): a list's texts joined."""
    parts = _parts(content, provider=provider)
    if not all(isinstance(part, TextPart) for part in parts):
        raise UnsupportedFeatureError("only text is allowed here", provider=provider)
    return "".join(part.text for part in parts if isinstance(part, TextPart))


def _parts(content: Any, *, provider: str) -> list[Part]:
    if isinstance(content, str):
        return [TextPart(text=content)]
    if not isinstance(content, list):
        raise InvalidRequestError("message content must be a string or a list", provider=provider)
    return [_part(item, provider=provider) for item in content]


def _part(item: Mapping[str, Any], *, provider: str) -> Part:
    kind = item.get("type")
    if kind == "text":
        return TextPart(text=item["text"])
    if kind == "image_url":
        image = item["image_url"]
        url = image["url"]
        detail = image.get("detail")
        if url.startswith("data:"):
            media_type, data = _data_url(url, provider=provider)
            return ImagePart(data=data, media_type=media_type, detail=detail)
        return ImagePart(url=url, detail=detail)
    if kind == "file":
        file = item["file"]
        name = file.get("filename")
        if "file_data" not in file:
            raise UnsupportedFeatureError(
                "a file part by file_id has no neutral form; send the bytes", provider=provider
            )
        source = file["file_data"]
        if source.startswith("data:"):
            media_type, data = _data_url(source, provider=provider)
            return DocumentPart(data=data, media_type=media_type, name=name)
        return DocumentPart(url=source, name=name)
    raise UnsupportedFeatureError(f"{kind!r} content parts have no neutral form", provider=provider)


def _data_url(url: str, *, provider: str) -> tuple[str, bytes]:
    """``data:<media type>;base64,<data>`` to its media type and bytes."""
    header, _, payload = url.partition(",")
    media_type, _, encoding = header.removeprefix("data:").partition(";")
    if encoding != "base64":
        raise UnsupportedFeatureError("only base64 data URLs are supported", provider=provider)
    try:
        return media_type, base64.b64decode(payload, validate=True)
    except binascii.Error as exc:
        raise InvalidRequestError(f"bad base64 in a data URL: {exc}", provider=provider) from exc
