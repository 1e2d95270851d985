"""Tools, tool choice and structured output, to the Responses fields and back.

Function tools are flat in the Responses API (``{"type": "function", "name", …}``, no
nested ``function`` object). A :class:`~fluent_ai.types.ToolSpec` without a ``strict``
preference is sent with ``"strict": false``: the Responses API makes strict mode the
default, and strict mode rejects ordinary schemas (optional properties, open objects),
so "no preference" means the permissive setting, as in Chat Completions. Built-in tools
(``web_search``, ``code_interpreter``, ``file_search``, ``mcp``, …) have no neutral form
and go in ``ChatRequest.extra["tools"]``, sent after the function tools.

Readers are lenient where clients differ in spelling only (a missing or ``null``
description is an empty one). When a recorded list is not spelled exactly as the
encoder would spell it, :data:`TOOLS_KEY` keeps it, and it is sent as it came while its
reading still matches the request; this is the tools' counterpart of
:mod:`.history`.

Structured output is ``text.format``: ``{"type": "json_schema", "name", "schema",
"strict", "description"}``, ``{"type": "json_object"}`` or ``{"type": "text"}``;
other ``text`` settings (``verbosity``) stay in ``extra["text"]`` and are merged in.
A strict format's schema is sent in OpenAI's strict form
(:func:`~fluent_ai.providers.strict_schema.openai_strict`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from fluent_ai.providers.responses.content import Wire
from fluent_ai.providers.strict_schema import openai_strict
from fluent_ai.types import ResponseFormat, ToolChoice, ToolSpec, UnsupportedFeatureError

TOOLS_KEY = "responses_tools"

_TOOL_KEYS = frozenset({"type", "name", "description", "parameters", "strict"})
_MODES = ("auto", "none", "required")


def encode_tool(tool: ToolSpec) -> Wire:
    wire: Wire = {"type": "function", "name": tool.name, "parameters": tool.parameters}
    if tool.description:
        wire["description"] = tool.description
    wire["strict"] = bool(tool.strict)
    return wire


def encode_tools(specs: Sequence[ToolSpec] | None, raw: Sequence[Any] | None) -> list[Any] | None:
    """Function tools first, then the built-in tools as given; ``None`` when there are none."""
    if specs is None and raw is None:
        return None
    return [*(encode_tool(spec) for spec in specs or ()), *(raw or ())]


def read_tools(tools: Sequence[Any]) -> tuple[list[ToolSpec], list[Any]]:
    """``(specs, raw)``: the function tools as specs, every other tool as it came."""
    specs: list[ToolSpec] = []
    raw: list[Any] = []
    for tool in tools:
        spec = _read_tool(tool) if isinstance(tool, Mapping) else None
        if spec is None:
            raw.append(tool)
        else:
            specs.append(spec)
    return specs, raw


def _read_tool(tool: Mapping[str, Any]) -> ToolSpec | None:
    if tool.get("type") != "function" or not tool.keys() <= _TOOL_KEYS:
        return None
    name, description = tool.get("name"), tool.get("description")
    parameters, strict = tool.get("parameters", {}), tool.get("strict")
    if not isinstance(name, str) or not isinstance(parameters, dict):
        return None
    if not isinstance(description, str | None) or not isinstance(strict, bool | None):
        return None
    return ToolSpec(name=name, description=description or "", parameters=parameters, strict=strict)


def encode_tool_choice(choice: ToolChoice, *, provider: str) -> str | Wire:
    if choice.mode != "tool":
        return choice.mode
    if not choice.name:
        raise UnsupportedFeatureError("tool choice 'tool' needs the tool's name", provider=provider)
    return {"type": "function", "name": choice.name}


def read_tool_choice(wire: Any) -> ToolChoice | None:
    """The neutral choice, or ``None`` for one it has no form for (a built-in tool's)."""
    if isinstance(wire, str) and wire in _MODES:
        return ToolChoice.model_validate({"mode": wire})
    if isinstance(wire, Mapping) and wire.keys() == {"type", "name"} and wire["type"] == "function":
        return ToolChoice(mode="tool", name=wire["name"]) if isinstance(wire["name"], str) else None
    return None


def encode_format(fmt: ResponseFormat, *, provider: str) -> Wire:
    wire = _format(fmt)
    if wire is None:
        raise UnsupportedFeatureError("json_schema output needs a schema", provider=provider)
    return wire


def _format(fmt: ResponseFormat) -> Wire | None:
    if fmt.type != "json_schema":
        return {"type": fmt.type}
    if fmt.json_schema is None:
        return None
    schema = openai_strict(fmt.json_schema) if fmt.strict else fmt.json_schema
    wire: Wire = {"type": "json_schema", "name": fmt.name, "schema": schema}
    if fmt.description is not None:
        wire["description"] = fmt.description
    if fmt.strict is not None:
        wire["strict"] = fmt.strict
    return wire


def read_format(wire: Any) -> ResponseFormat | None:
    """The neutral format ``text.format`` asks for, when it has one that spells it exactly."""
    if not isinstance(wire, Mapping):
        return None
    kind = wire.get("type")
    try:
        if kind in ("text", "json_object"):
            fmt = ResponseFormat(type=kind)
        elif kind == "json_schema":
            fmt = ResponseFormat(
                type="json_schema",
                name=wire.get("name"),
                json_schema=wire.get("schema"),
                strict=wire.get("strict"),
                description=wire.get("description"),
            )
        else:
            return None
    except ValidationError:  # not a format the neutral type can hold
        return None
    return fmt if _format(fmt) == wire else None
