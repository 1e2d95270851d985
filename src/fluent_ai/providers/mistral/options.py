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

from typing import Any, Literal

from fluent_ai.providers import fields
from fluent_ai.providers.openai.decode_request import read_response_format, read_tools
from fluent_ai.providers.openai.encode import render_response_format, render_tools
from fluent_ai.types import (
    ChatRequest,
    ToolChoice,
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


FIELDS: dict[str, fields.WireField] = {
    "temperature": fields.WireField("temperature", fields.number, fields.same),
    "top_p": fields.WireField("top_p", fields.number, fields.same),
    "max_tokens": fields.WireField("max_tokens", fields.integer, fields.same),
    "random_seed": fields.WireField("seed", fields.integer, fields.same),
    "stop": fields.WireField("stop", fields.strings, list),
    "metadata": fields.WireField("metadata", fields.mapping, dict),
    "tools": fields.WireField("tools", read_tools, render_tools),
    "tool_choice": fields.WireField("tool_choice", read_tool_choice, encode_tool_choice),
    "response_format": fields.WireField(
        "response_format", read_response_format, render_response_format
    ),
}
"""Wire key -> neutral field, in the order the encoder writes them."""


def encode_fields(request: ChatRequest) -> dict[str, Any]:
    """The wire values of every neutral field the request sets."""
    return fields.encode_fields(FIELDS, request)


def claim_fields(rest: dict[str, Any]) -> dict[str, Any]:
    """Move the fields that read back exactly out of ``rest``; return them by neutral name."""
    return fields.claim_fields(FIELDS, rest)
