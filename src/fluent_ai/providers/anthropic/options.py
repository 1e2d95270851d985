"""Tools, tool choice and structured output, to Anthropic's fields and back.

Each reader returns the neutral value plus what is left over, the keys the neutral
type cannot hold; the request decoder keeps the leftovers in ``ChatRequest.extra``,
where the encoder merges them back (see :func:`fluent_ai.providers.anthropic.encode.merge_extra`).

Structured output uses ``output_config.format`` (``{"type": "json_schema", "schema":
…}``), Anthropic's constrained decoding, generally available since the
``structured-outputs-2025-11-13`` beta ended (its top-level ``output_format`` is
deprecated). Anthropic has no "any JSON object" mode, so ``json_object`` is refused
rather than quietly sent as plain text; a schema's ``name``, ``description`` and
``strict`` have no field there (the decoding is always strict), and the schema is
always sent in the form Anthropic accepts
(:func:`~fluent_ai.providers.strict_schema.anthropic_strict`: ``additionalProperties:
false`` on every object, unsupported keywords moved into descriptions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from fluent_ai.providers.strict_schema import anthropic_strict
from fluent_ai.types import ResponseFormat, ToolChoice, ToolSpec, UnsupportedFeatureError

ChoiceMode = Literal["auto", "none", "required", "tool"]

_CHOICE_TYPES: dict[ChoiceMode, str] = {
    "auto": "auto",
    "none": "none",
    "required": "any",
    "tool": "tool",
}
_CHOICE_MODES: dict[str, ChoiceMode] = {wire: mode for mode, wire in _CHOICE_TYPES.items()}


def encode_tool(tool: ToolSpec) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "name": tool.name,
        "description": tool.description,
        "input_schema": tool.parameters,
    }
    if tool.strict is not None:
        wire["strict"] = tool.strict
    return wire


def read_tools(tools: list[Mapping[str, Any]]) -> tuple[list[ToolSpec], list[Any]]:
    """``(specs, raw)``: the leading function tools as specs, the rest as they came.

    Server tools (web search, code execution, memory, …) and tools with keys a
    ``ToolSpec`` cannot hold (``cache_control``, ``input_examples``) have no neutral
    form; everything from the first of them on stays raw, so that the encoder, which
    appends raw tools after the neutral ones, gives back the original order.
    """
    specs: list[ToolSpec] = []
    for index, tool in enumerate(tools):
        spec = _read_tool(tool)
        if spec is None:
            return specs, list(tools[index:])
        specs.append(spec)
    return specs, []


def _read_tool(tool: Mapping[str, Any]) -> ToolSpec | None:
    if not {"name", "description", "input_schema"} <= tool.keys():
        return None
    spec = ToolSpec(
        name=tool["name"],
        description=tool["description"],
        parameters=tool["input_schema"],
        strict=tool.get("strict"),
    )
    return spec if encode_tool(spec) == tool else None


def encode_tool_choice(choice: ToolChoice) -> dict[str, Any]:
    wire: dict[str, Any] = {"type": _CHOICE_TYPES[choice.mode]}
    if choice.mode == "tool":
        if not choice.name:
            raise UnsupportedFeatureError(
                "tool choice 'tool' needs the tool's name", provider="anthropic"
            )
        wire["name"] = choice.name
    return wire


def read_tool_choice(wire: Mapping[str, Any]) -> tuple[ToolChoice | None, dict[str, Any]]:
    """``(choice, leftovers)``; ``disable_parallel_tool_use`` is a leftover."""
    mode = _CHOICE_MODES.get(wire.get("type", ""))
    if mode is None:
        return None, dict(wire)
    consumed = {"type", "name"} if mode == "tool" else {"type"}
    choice = ToolChoice(mode=mode, name=wire.get("name") if mode == "tool" else None)
    return choice, {key: value for key, value in wire.items() if key not in consumed}


def encode_output_config(response_format: ResponseFormat) -> dict[str, Any] | None:
    """``output_config`` for a response format; ``None`` for plain text."""
    if response_format.type == "text":
        return None
    if response_format.type == "json_object":
        raise UnsupportedFeatureError(
            "Anthropic constrains output only to a JSON schema: ask for json_schema with "
            "a schema instead of json_object",
            provider="anthropic",
        )
    if response_format.json_schema is None:
        raise UnsupportedFeatureError("json_schema output needs a schema", provider="anthropic")
    schema = anthropic_strict(response_format.json_schema)
    return {"format": {"type": "json_schema", "schema": schema}}


def read_output_config(
    wire: Mapping[str, Any],
) -> tuple[ResponseFormat | None, dict[str, Any]]:
    """``(format, leftovers)``; ``effort`` and other output settings are leftovers."""
    fmt = wire.get("format")
    if not isinstance(fmt, Mapping) or fmt.keys() != {"type", "schema"}:
        return None, dict(wire)
    if fmt["type"] != "json_schema":
        return None, dict(wire)
    response_format = ResponseFormat(type="json_schema", json_schema=fmt["schema"])
    return response_format, {key: value for key, value in wire.items() if key != "format"}
