"""Sampling settings, tools, tool choice and structured output, to Converse fields and back.

Each reader returns the neutral value plus what is left over, the keys the neutral type
cannot hold; the request decoder keeps leftovers in ``ChatRequest.extra``, where the
encoder merges them back (see :func:`fluent_ai.providers.bedrock.encode.merge_extra`).

* ``inferenceConfig`` holds ``maxTokens``, ``temperature``, ``topP`` and
  ``stopSequences``, all neutral.
* ``toolConfig.tools`` lists function tools as ``toolSpec`` objects; Bedrock's own
  tools (``systemTool``, such as Nova's code interpreter) and ``cachePoint`` markers
  have no neutral form and stay raw.
* ``toolConfig.toolChoice`` is ``auto``, ``any`` or one named ``tool``. Converse has no
  way to forbid tool calls, so the neutral ``none`` is refused rather than ignored.
* ``outputConfig.textFormat`` constrains the answer to a JSON schema, given as JSON
  *text*. There is no "any JSON object" mode, so ``json_object`` is refused; a
  schema's ``strict`` has no field (the constraint is always enforced).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fluent_ai.types import (
    ChatRequest,
    ResponseFormat,
    ToolChoice,
    ToolSpec,
    UnsupportedFeatureError,
)

_INFERENCE = (
    ("maxTokens", "max_tokens"),
    ("temperature", "temperature"),
    ("topP", "top_p"),
    ("stopSequences", "stop"),
)


def encode_inference(request: ChatRequest) -> dict[str, Any]:
    """``inferenceConfig`` from the request's sampling settings (empty when none is set)."""
    config: dict[str, Any] = {}
    for wire, name in _INFERENCE:
        value = getattr(request, name)
        if value is not None:
            config[wire] = value
    return config


def read_inference(config: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(ChatRequest fields, leftovers)`` of an ``inferenceConfig``."""
    wires = {wire for wire, _ in _INFERENCE}
    fields = {name: config[wire] for wire, name in _INFERENCE if wire in config}
    return fields, {key: value for key, value in config.items() if key not in wires}


def encode_tool(tool: ToolSpec) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": tool.name}
    if tool.description:  # Bedrock refuses an empty description: leave it out instead
        spec["description"] = tool.description
    spec["inputSchema"] = {"json": tool.parameters}
    if tool.strict is not None:
        spec["strict"] = tool.strict
    return {"toolSpec": spec}


def read_tools(tools: list[Mapping[str, Any]]) -> tuple[list[ToolSpec], list[Any]]:
    """``(specs, raw)``: the leading function tools as specs, the rest as they came.

    Everything from the first tool without a neutral form on stays raw, so the encoder,
    which appends raw tools after the neutral ones, gives back the original order.
    """
    specs: list[ToolSpec] = []
    for index, tool in enumerate(tools):
        spec = _read_tool(tool)
        if spec is None:
            return specs, list(tools[index:])
        specs.append(spec)
    return specs, []


def _read_tool(tool: Mapping[str, Any]) -> ToolSpec | None:
    spec = tool.get("toolSpec")
    if not isinstance(spec, Mapping) or "name" not in spec:
        return None
    schema = (spec.get("inputSchema") or {}).get("json")
    if not isinstance(schema, dict):
        return None
    neutral = ToolSpec(
        name=spec["name"],
        description=spec.get("description", ""),
        parameters=schema,
        strict=spec.get("strict"),
    )
    return neutral if encode_tool(neutral) == tool else None


def encode_tool_choice(choice: ToolChoice) -> dict[str, Any]:
    if choice.mode == "auto":
        return {"auto": {}}
    if choice.mode == "required":
        return {"any": {}}
    if choice.mode == "tool":
        if not choice.name:
            raise UnsupportedFeatureError(
                "tool choice 'tool' needs the tool's name", provider="bedrock"
            )
        return {"tool": {"name": choice.name}}
    raise UnsupportedFeatureError(
        "Bedrock Converse cannot forbid tool calls (it has no tool choice 'none'): "
        "leave the tools out of the request instead",
        provider="bedrock",
    )


def read_tool_choice(wire: Mapping[str, Any]) -> ToolChoice | None:
    """The neutral choice, or ``None`` when the wire holds more than one can say."""
    if wire == {"auto": {}}:
        return ToolChoice(mode="auto")
    if wire == {"any": {}}:
        return ToolChoice(mode="required")
    named = wire.get("tool")
    if wire.keys() == {"tool"} and isinstance(named, Mapping) and named.keys() == {"name"}:
        return ToolChoice(mode="tool", name=named["name"])
    return None


def encode_output_config(response_format: ResponseFormat) -> dict[str, Any] | None:
    """``outputConfig`` for a response format; ``None`` for plain text."""
    if response_format.type == "text":
        return None
    if response_format.type == "json_object":
        raise UnsupportedFeatureError(
            "Bedrock constrains output only to a JSON schema: ask for json_schema with "
            "a schema instead of json_object",
            provider="bedrock",
        )
    if response_format.json_schema is None:
        raise UnsupportedFeatureError("json_schema output needs a schema", provider="bedrock")
    definition = {"schema": json.dumps(response_format.json_schema), "name": response_format.name}
    if response_format.description is not None:
        definition["description"] = response_format.description
    return {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": definition}}}


def read_output_config(
    wire: Mapping[str, Any],
) -> tuple[ResponseFormat | None, dict[str, Any]]:
    """``(format, leftovers)``; a format spelled in a way the encoder would not spell it
    is read for callers and also kept whole among the leftovers, which win on encoding."""
    response_format = _read_text_format(wire.get("textFormat"))
    if response_format is None:
        return None, dict(wire)
    if encode_output_config(response_format) == {"textFormat": wire["textFormat"]}:
        return response_format, {key: value for key, value in wire.items() if key != "textFormat"}
    return response_format, dict(wire)


def _read_text_format(text_format: object) -> ResponseFormat | None:
    if not isinstance(text_format, Mapping) or text_format.get("type") != "json_schema":
        return None
    definition = (text_format.get("structure") or {}).get("jsonSchema")
    if not isinstance(definition, Mapping) or not isinstance(definition.get("schema"), str):
        return None
    try:
        schema = json.loads(definition["schema"])
    except ValueError:
        return None
    if not isinstance(schema, dict):
        return None
    return ResponseFormat(
        type="json_schema",
        json_schema=schema,
        name=definition.get("name", "response"),
        description=definition.get("description"),
    )
