"""The request's top-level fields: each neutral field, its Mistral key, and both directions.

Every entry of :data:`FIELDS` pairs a reader with a renderer, and the request decoder
claims a wire field for the neutral request only when rendering what it read gives the
wire value back exactly (``"stop": "\\n"``, a string where the neutral field is a
list, or ``"tool_choice": "required"``, which renders as ``"any"``, stay in
``ChatRequest.extra`` as they came). The encoder uses the same renderers, so the two
directions cannot drift apart.

Mistral's names: ``random_seed`` for the seed, ``max_tokens``, ``stop``, and
``"any"`` for a required tool call. Tools and ``response_format`` (``json_object`` or
``json_schema`` with ``name``, ``description``, ``schema``, ``strict``) are spelled as
OpenAI spells them, so their renderers are OpenAI's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from fluent_ai.providers.openai.encode import render_response_format, render_tools
from fluent_ai.types import (
    ChatRequest,
    ResponseFormat,
    ToolChoice,
    ToolSpec,
    UnsupportedFeatureError,
)

ChoiceMode = Literal["auto", "none", "required"]

_CHOICE_WORDS: dict[ChoiceMode, str] = {"auto": "auto", "none": "none", "required": "any"}
_CHOICE_MODES: dict[str, ChoiceMode] = {
    "auto": "auto",
    "none": "none",
    "any": "required",
    "required": "required",
}


class WireField(NamedTuple):
    """A neutral ``ChatRequest`` field and how its wire value is read and written."""

    name: str
    read: Callable[[Any], Any]
    render: Callable[[Any], Any]


def encode_tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    if choice.mode != "tool":
        return _CHOICE_WORDS[choice.mode]
    if not choice.name:
        raise UnsupportedFeatureError(
            "tool choice 'tool' needs the tool's name", provider="mistral"
        )
    return {"type": "function", "function": {"name": choice.name}}


def read_tool_choice(value: Any) -> ToolChoice:
    if isinstance(value, str):
        return ToolChoice(mode=_CHOICE_MODES[value])
    return ToolChoice(mode="tool", name=value["function"]["name"])


def read_tools(value: Any) -> list[ToolSpec]:
    specs = []
    for tool in value:
        function = tool["function"]
        specs.append(
            ToolSpec(
                name=function["name"],
                description=function.get("description", ""),
                parameters=function.get("parameters", {}),
                strict=function.get("strict"),
            )
        )
    return specs


def read_response_format(value: Any) -> ResponseFormat:
    if value["type"] != "json_schema":
        return ResponseFormat.model_validate({"type": value["type"]})
    spec = value["json_schema"]
    return ResponseFormat(
        type="json_schema",
        name=spec["name"],
        json_schema=spec.get("schema"),
        strict=spec.get("strict"),
        description=spec.get("description"),
    )


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    return float(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an integer")
    return value


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("not a list of strings")
    return value


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


def _same(value: Any) -> Any:
    return value


FIELDS: dict[str, WireField] = {
    "temperature": WireField("temperature", _number, _same),
    "top_p": WireField("top_p", _number, _same),
    "max_tokens": WireField("max_tokens", _integer, _same),
    "random_seed": WireField("seed", _integer, _same),
    "stop": WireField("stop", _strings, list),
    "metadata": WireField("metadata", _mapping, dict),
    "tools": WireField("tools", read_tools, render_tools),
    "tool_choice": WireField("tool_choice", read_tool_choice, encode_tool_choice),
    "response_format": WireField("response_format", read_response_format, render_response_format),
}
"""Wire key -> neutral field, in the order the encoder writes them."""


def encode_fields(request: ChatRequest) -> dict[str, Any]:
    """The wire values of every neutral field the request sets."""
    return {
        key: field.render(value)
        for key, field in FIELDS.items()
        if (value := getattr(request, field.name)) is not None
    }


def claim_fields(rest: dict[str, Any]) -> dict[str, Any]:
    """Move the fields that read back exactly out of ``rest``; return them by neutral name."""
    claimed: dict[str, Any] = {}
    for key, field in FIELDS.items():
        if key not in rest:
            continue
        try:
            value = field.read(rest[key])
        except (TypeError, ValueError, KeyError, AttributeError):  # not ours to read: keep it
            continue
        if field.render(value) == rest[key]:
            claimed[field.name] = value
            del rest[key]
    return claimed
