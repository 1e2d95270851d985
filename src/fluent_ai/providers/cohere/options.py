"""The request's top-level fields: each neutral field, its Cohere key, and both directions.

Every entry of :data:`FIELDS` pairs a reader with a renderer; the request decoder claims
a wire field for the neutral request only when rendering what it read gives the wire
value back exactly, and the encoder uses the same renderers.

Cohere's names and limits:

* ``p`` is top-p, ``stop_sequences`` the stop strings; ``k`` (top-k), ``thinking``,
  ``documents``, ``citation_options``, ``safety_mode``, the penalties and ``logprobs``
  have no neutral field and pass through ``ChatRequest.extra``.
* ``tool_choice`` is ``"REQUIRED"`` or ``"NONE"``; leaving it out is ``auto``. Cohere
  cannot force one named tool, so that choice is refused.
* Strictness is one flag for all tools, ``strict_tools``; tools that disagree about
  ``strict`` are refused.
* Structured output is ``{"type": "json_object"}``, with a ``json_schema`` to follow a
  schema. A schema's ``name``, ``description`` and ``strict`` have no field there.
* Cohere's chat has no ``metadata``: a request with one is refused, not sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fluent_ai.providers import fields
from fluent_ai.types import (
    ChatRequest,
    ResponseFormat,
    ToolChoice,
    ToolSpec,
    UnsupportedFeatureError,
)

PROVIDER = "cohere"


def render_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": tool.parameters,
            },
        }
        for tool in tools
    ]


def read_tools(value: Any) -> list[ToolSpec]:
    specs = []
    for tool in value:
        function = tool["function"]
        specs.append(
            ToolSpec(
                name=function["name"],
                description=function.get("description", ""),
                parameters=function.get("parameters", {}),
            )
        )
    return specs


def strict_tools(tools: Sequence[ToolSpec] | None) -> bool:
    """Whether to send ``strict_tools``: every tool that says, says ``strict=True``."""
    flags = {tool.strict for tool in tools or () if tool.strict is not None}
    if len(flags) > 1:
        raise UnsupportedFeatureError(
            "Cohere applies strict schemas to all tools or to none: give every tool the "
            "same strict setting",
            provider=PROVIDER,
        )
    return flags == {True}


def render_tool_choice(choice: ToolChoice) -> str | None:
    """``None`` for ``auto``, which Cohere spells by leaving the field out."""
    if choice.mode == "tool":
        raise UnsupportedFeatureError(
            f"Cohere cannot force one named tool ({choice.name}): use tool choice "
            "'required' with only that tool",
            provider=PROVIDER,
        )
    return None if choice.mode == "auto" else choice.mode.upper()


def read_tool_choice(value: Any) -> ToolChoice:
    modes = {"REQUIRED": "required", "NONE": "none"}
    return ToolChoice.model_validate({"mode": modes[value]})


def render_response_format(fmt: ResponseFormat) -> dict[str, Any]:
    if fmt.type != "json_schema":
        return {"type": fmt.type}
    if fmt.json_schema is None:
        raise UnsupportedFeatureError("json_schema output needs a schema", provider=PROVIDER)
    return {"type": "json_object", "json_schema": fmt.json_schema}


def read_response_format(value: Any) -> ResponseFormat:
    if value["type"] == "json_object" and "json_schema" in value:
        return ResponseFormat(type="json_schema", json_schema=value["json_schema"])
    return ResponseFormat.model_validate({"type": value["type"]})


FIELDS: dict[str, fields.WireField] = {
    "temperature": fields.WireField("temperature", fields.number, fields.same),
    "p": fields.WireField("top_p", fields.number, fields.same),
    "max_tokens": fields.WireField("max_tokens", fields.integer, fields.same),
    "seed": fields.WireField("seed", fields.integer, fields.same),
    "stop_sequences": fields.WireField("stop", fields.strings, list),
    "tools": fields.WireField("tools", read_tools, render_tools),
    "tool_choice": fields.WireField("tool_choice", read_tool_choice, render_tool_choice),
    "response_format": fields.WireField(
        "response_format", read_response_format, render_response_format
    ),
}
"""Wire key -> neutral field, in the order the encoder writes them."""


def encode_fields(request: ChatRequest) -> dict[str, Any]:
    """The wire values of every neutral field the request sets."""
    if request.metadata is not None:
        raise UnsupportedFeatureError("Cohere's chat API takes no metadata", provider=PROVIDER)
    body = fields.encode_fields(FIELDS, request)
    if strict_tools(request.tools):
        body["strict_tools"] = True
    return body


def claim_fields(rest: dict[str, Any]) -> dict[str, Any]:
    """Move the fields that read back exactly out of ``rest``; return them by neutral name."""
    return fields.claim_fields(FIELDS, rest)
