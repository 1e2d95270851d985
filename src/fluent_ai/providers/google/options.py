"""Tools, tool choice and generation settings, to Gemini's fields and back.

Each reader returns the neutral value plus what has no neutral home; the request
decoder keeps that in ``ChatRequest.extra``, where the encoder merges it back.

* Function tools are ``functionDeclarations`` with a JSON Schema in
  ``parametersJsonSchema``. Gemini has no per-tool ``strict`` flag (its ``VALIDATED``
  calling mode, set in ``extra["toolConfig"]``, is the closest), so asking for one is
  refused. Tools spelled another way (snake_case, an OpenAPI ``parameters`` schema,
  ``behavior``) and Gemini's own tools (``googleSearch``, ``codeExecution``,
  ``urlContext``, …) travel in ``extra["tools"]``; a function declared there is sent as
  spelled there and not a second time from ``ChatRequest.tools``.
* Tool choice is ``toolConfig.functionCallingConfig``: ``AUTO``, ``NONE``, ``ANY``, and
  ``ANY`` limited to one name in ``allowedFunctionNames`` for a named tool.
* Structured output is ``responseMimeType: application/json``, with the schema in
  ``responseJsonSchema`` (JSON Schema; ``responseSchema`` takes Google's OpenAPI subset
  and stays in ``extra``). A schema's name, description and ``strict`` have no field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from fluent_ai.providers.google.wire import get, has
from fluent_ai.types import ResponseFormat, ToolChoice, ToolSpec, UnsupportedFeatureError

ChoiceMode = Literal["auto", "none", "required", "tool"]

_MODES: dict[ChoiceMode, str] = {"auto": "AUTO", "none": "NONE", "required": "ANY", "tool": "ANY"}
_NEUTRAL: dict[str, ChoiceMode] = {"AUTO": "auto", "NONE": "none", "ANY": "required"}
_JSON = "application/json"

GENERATION_FIELDS = (
    ("temperature", "temperature"),
    ("topP", "top_p"),
    ("maxOutputTokens", "max_tokens"),
    ("stopSequences", "stop"),
    ("seed", "seed"),
)
"""``generationConfig`` fields with a neutral twin: (wire name, ``ChatRequest`` field)."""


def encode_tools(specs: list[ToolSpec], *, shadowed: frozenset[str] = frozenset()) -> list[Any]:
    """One ``functionDeclarations`` tool for the specs not named in ``shadowed``."""
    declarations = [_declaration(spec) for spec in specs if spec.name not in shadowed]
    return [{"functionDeclarations": declarations}] if declarations else []


def declared_names(tools: object) -> frozenset[str]:
    """The function names a raw ``tools`` list declares."""
    if not isinstance(tools, list):
        return frozenset()
    return frozenset(
        declaration["name"]
        for tool in tools
        if isinstance(tool, Mapping)
        for declaration in get(tool, "functionDeclarations") or ()
        if isinstance(declaration, Mapping) and isinstance(declaration.get("name"), str)
    )


def read_tools(tools: list[Any]) -> tuple[list[ToolSpec] | None, list[Any] | None]:
    """``(specs, raw)``: every declaration with a JSON Schema as a spec, and the list as
    it came when :func:`encode_tools` would not spell it back exactly."""
    specs = [
        spec
        for tool in tools
        if isinstance(tool, Mapping)
        for declaration in get(tool, "functionDeclarations") or ()
        if (spec := _read_declaration(declaration)) is not None
    ]
    if specs and encode_tools(specs) == tools:
        return specs, None
    return specs or None, list(tools)


def _declaration(spec: ToolSpec) -> dict[str, Any]:
    if spec.strict:
        raise UnsupportedFeatureError(
            f"Gemini has no strict mode per tool ({spec.name!r}): leave strict unset, or "
            'set extra["toolConfig"] = {"functionCallingConfig": {"mode": "VALIDATED"}}',
            provider="google",
        )
    return {
        "name": spec.name,
        "description": spec.description,
        "parametersJsonSchema": spec.parameters,
    }


def _read_declaration(declaration: Mapping[str, Any]) -> ToolSpec | None:
    """A spec for a declaration with a JSON Schema (or none); ``None`` for an OpenAPI one."""
    schema = get(declaration, "parametersJsonSchema")
    if not isinstance(declaration.get("name"), str) or (
        schema is None and has(declaration, "parameters")
    ):
        return None
    fields: dict[str, Any] = {
        "name": declaration["name"],
        "description": declaration.get("description") or "",
    }
    if schema is not None:
        fields["parameters"] = schema
    return ToolSpec(**fields)


def encode_tool_config(choice: ToolChoice) -> dict[str, Any]:
    config: dict[str, Any] = {"mode": _MODES[choice.mode]}
    if choice.mode == "tool":
        if not choice.name:
            raise UnsupportedFeatureError(
                "tool choice 'tool' needs the tool's name", provider="google"
            )
        config["allowedFunctionNames"] = [choice.name]
    return {"functionCallingConfig": config}


def read_tool_config(wire: Mapping[str, Any]) -> tuple[ToolChoice | None, dict[str, Any]]:
    """``(choice, leftovers)``; a calling config with no neutral reading is a leftover."""
    choice = _read_choice(wire.get("functionCallingConfig"))
    if choice is None or encode_tool_config(choice) != {
        "functionCallingConfig": wire["functionCallingConfig"]
    }:
        return None, dict(wire)
    return choice, {key: value for key, value in wire.items() if key != "functionCallingConfig"}


def _read_choice(config: object) -> ToolChoice | None:
    if not isinstance(config, Mapping):
        return None
    mode, names = config.get("mode"), config.get("allowedFunctionNames")
    if mode == "ANY" and isinstance(names, list) and len(names) == 1:
        return ToolChoice(mode="tool", name=names[0])
    if names is not None:
        return None
    neutral = _NEUTRAL.get(str(mode))
    return None if neutral is None else ToolChoice(mode=neutral)


def encode_response_format(response_format: ResponseFormat | None) -> dict[str, Any]:
    """The ``generationConfig`` fields for a response format (none for plain text)."""
    if response_format is None or response_format.type == "text":
        return {}
    if response_format.type == "json_object":
        return {"responseMimeType": _JSON}
    if response_format.json_schema is None:
        raise UnsupportedFeatureError("json_schema output needs a schema", provider="google")
    return {"responseMimeType": _JSON, "responseJsonSchema": response_format.json_schema}


def read_response_format(config: Mapping[str, Any]) -> ResponseFormat | None:
    """The neutral format a ``generationConfig`` asks for, when it has one."""
    if config.get("responseMimeType") != _JSON or has(config, "responseSchema"):
        return None
    schema = config.get("responseJsonSchema")
    if schema is None:
        return None if has(config, "responseJsonSchema") else ResponseFormat(type="json_object")
    return ResponseFormat(type="json_schema", json_schema=schema)
