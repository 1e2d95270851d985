"""A Responses request body to a ``ChatRequest`` (the gateway receives them).

The rule that keeps ``encode(decode(body))`` faithful: a top-level field moves into its
neutral home only when rendering the neutral value gives back what the body said;
otherwise it stays in :attr:`ChatRequest.extra` untouched. Two fields always get their
neutral reading, with the exact spelling kept beside it where the neutral one differs:
``input`` (each message's items under :data:`~.history.ITEMS_KEY`) and ``tools``
(under :data:`~.options.TOOLS_KEY`; built-in tools go in ``extra["tools"]``).
``stream`` is left out: it is how the caller wants this call made, not what it asks.

A plain-string ``input`` is one user message; it is sent back as a one-item list,
which the API reads the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from fluent_ai.providers.responses.content import Wire
from fluent_ai.providers.responses.history import ITEMS_KEY, spelled_neutrally
from fluent_ai.providers.responses.items import read_message, split_items
from fluent_ai.providers.responses.options import (
    TOOLS_KEY,
    encode_tools,
    read_format,
    read_tool_choice,
    read_tools,
)
from fluent_ai.types import ChatRequest, InvalidRequestError, Message

_Field = tuple[str, Callable[[Any], Any]]


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    return float(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an integer")
    return value


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


# Wire key -> (neutral field, parse); each renders back as the value itself.
_PLAIN: dict[str, _Field] = {
    "instructions": ("system", _string),
    "temperature": ("temperature", _number),
    "top_p": ("top_p", _number),
    "max_output_tokens": ("max_tokens", _integer),
    "metadata": ("metadata", _mapping),
}


def decode_request(body: Mapping[str, Any], *, provider: str) -> ChatRequest:
    extra = dict(body)
    extra.pop("stream", None)
    model = extra.pop("model", None)
    if not isinstance(model, str):
        raise InvalidRequestError("a Responses body needs a string 'model'", provider=provider)
    fields: dict[str, Any] = {"model": model, "messages": []}
    if "input" in extra:
        fields["messages"], verbatim = _read_input(extra.pop("input"), provider=provider)
        if verbatim:
            extra[ITEMS_KEY] = verbatim
    for key, (name, parse) in _PLAIN.items():
        if key in extra:
            try:
                fields[name] = parse(extra[key])
            except TypeError:  # not ours to read: it stays in extra as it came
                continue
            del extra[key]
    if isinstance(extra.get("tools"), list):
        _read_tools(extra, fields)
    choice = read_tool_choice(extra.get("tool_choice"))
    if choice is not None:
        fields["tool_choice"] = choice
        del extra["tool_choice"]
    if isinstance(extra.get("text"), Mapping):
        _read_text(extra, fields)
    try:
        return ChatRequest(**fields, extra=extra)
    except ValidationError as exc:
        raise InvalidRequestError(f"malformed request: {exc}", provider=provider) from exc


def _read_input(value: Any, *, provider: str) -> tuple[list[Message], list[list[Wire]]]:
    """The messages, and the item lists of those whose items are not spelled neutrally."""
    if isinstance(value, str):
        return [Message.user(value)], []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidRequestError("'input' must be a string or a list of items", provider=provider)
    messages: list[Message] = []
    verbatim: list[list[Wire]] = []
    for role, items in split_items(value):
        try:
            message = read_message(role, items)
        except (KeyError, TypeError, AttributeError, ValidationError) as exc:
            raise InvalidRequestError(
                f"malformed input item: {type(exc).__name__}: {exc}", provider=provider
            ) from exc
        messages.append(message)
        if not spelled_neutrally(message, items, provider=provider):
            verbatim.append(items)
    return messages, verbatim


def _read_tools(extra: dict[str, Any], fields: dict[str, Any]) -> None:
    tools = extra.pop("tools")
    specs, raw = read_tools(tools)
    # Built-in tools alone are no function tools: leave ``tools`` unset, not empty.
    fields["tools"] = specs if specs or not raw else None
    if raw:
        extra["tools"] = raw
    if encode_tools(fields["tools"], raw or None) != tools:
        extra[TOOLS_KEY] = tools


def _read_text(extra: dict[str, Any], fields: dict[str, Any]) -> None:
    """``text.format`` as the response format; other ``text`` settings stay in extra."""
    text = extra["text"]
    fmt = read_format(text.get("format"))
    if fmt is None:
        return
    fields["response_format"] = fmt
    leftover = {key: value for key, value in text.items() if key != "format"}
    if leftover:
        extra["text"] = leftover
    else:
        del extra["text"]
