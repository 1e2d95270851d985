"""Which grammar a request's answer must follow: its JSON schema, or its tool calls.

* ``response_format`` ``json_object`` is any JSON object; ``json_schema`` is the schema.
* Tools with ``tool_choice`` ``required`` (or a named tool) make the answer a JSON list of
  one or more calls, ``[{"name": ..., "arguments": {...}}]``, each call's ``name`` one of
  the tools (or the named one) and its ``arguments`` that tool's parameter schema. The
  list is the format SmolLM2 was fine-tuned to call functions with (its model card's
  ``<tool_call>[...]</tool_call>``, without the tags, which the grammar makes needless).
* ``auto`` (or no ``tool_choice``) is a Lark grammar with two alternatives: the list of
  calls, or the answer: free text that does not start with ``[`` or white space, or,
  with a ``response_format``, a JSON object. The first byte thus decides, inside the
  model's own distribution, whether it calls a tool, rather than Python guessing from
  one token's probability; the price is that a text answer cannot begin with ``[``.
* ``none`` and plain text are unconstrained.

JSON is written on one line with single spaces after ``,`` and ``:`` (as the prompt's
examples are), not with free white space: a small model left free to indent can spend
its whole token budget on newlines. A schema's own ``x-guidance`` options win. A
``strict`` schema (``ResponseFormat.strict``, ``ToolSpec.strict``) gets its objects
closed to the properties they name, as strict mode means at OpenAI (:func:`closed`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from fluent_ai.providers.local.requirements import require_local_packages
from fluent_ai.types import ChatRequest, ToolSpec, UnsupportedFeatureError

Mode = Literal["json", "calls", "auto"]

ANY_OBJECT: dict[str, Any] = {"type": "object"}
COMPACT = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}


_MAPS = ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas")
_VALUES = ("const", "enum", "default", "examples")


def closed(schema: Any) -> Any:
    """A strict schema with every object closed to properties it does not name.

    Strict mode means ``additionalProperties: false`` at OpenAI, and the agent asks for
    strict output; left open, llguidance lets the model add any key, and a small one
    does (it copies ``title`` and ``type`` out of the schema into its answer).
    """
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _MAPS and isinstance(value, dict):
            result[key] = {name: closed(item) for name, item in value.items()}
        else:
            result[key] = value if key in _VALUES else closed(value)
    if "properties" in result and "additionalProperties" not in result:
        result["additionalProperties"] = False
    return result


def compact(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with llguidance told to write its JSON on one line (see above)."""
    return {**schema, "x-guidance": {**COMPACT, **schema.get("x-guidance", {})}}


@dataclass(frozen=True, slots=True)
class Grammar:
    """An llguidance grammar and what its answers are: JSON, tool calls, or either."""

    mode: Mode
    source: str


def uses_tools(request: ChatRequest) -> bool:
    """Whether the request offers the model tools it may call."""
    choice = request.tool_choice.mode if request.tool_choice else "auto"
    return bool(request.tools) and choice != "none"


def offered_tools(request: ChatRequest) -> list[ToolSpec]:
    """The tools the model may call: all of them, or the one ``tool_choice`` names."""
    tools = list(request.tools or ())
    choice = request.tool_choice
    if choice is not None and choice.mode == "tool":
        named = [tool for tool in tools if tool.name == choice.name]
        if not named:
            raise UnsupportedFeatureError(
                f"tool_choice names {choice.name!r}, which is not among the request's tools "
                f"({', '.join(tool.name for tool in tools)})",
                provider="local",
            )
        return named
    return tools


def calls_schema(tools: list[ToolSpec]) -> dict[str, Any]:
    """The JSON schema of a list of one or more calls of ``tools``."""
    calls = [
        {
            "type": "object",
            "properties": {
                "name": {"const": tool.name},
                "arguments": (closed(tool.parameters) if tool.strict else tool.parameters)
                or ANY_OBJECT,
            },
            "required": ["name", "arguments"],
            "additionalProperties": False,
        }
        for tool in tools
    ]
    item = calls[0] if len(calls) == 1 else {"anyOf": calls}
    return compact({"type": "array", "items": item, "minItems": 1})


def answer_schema(request: ChatRequest) -> dict[str, Any] | None:
    """The JSON schema the request's answer must match, ``None`` for free text."""
    response = request.response_format
    if response is None or response.type == "text":
        return None
    schema = response.json_schema if response.type == "json_schema" else None
    if schema is None:
        return compact(ANY_OBJECT)
    return compact(closed(schema) if response.strict else schema)


def answer_or_calls(tools: list[ToolSpec], answer: dict[str, Any] | None) -> str:
    """Lark: the answer (free text, or JSON of its schema) or the list of calls.

    The first byte tells which: a list of calls starts with ``[``, so free text may not
    (nor with white space, which would put the choice off), and a JSON answer must be
    an object, starting with ``{``.
    """
    if answer is not None and answer.get("type") != "object":
        raise UnsupportedFeatureError(
            "with tools, the local model's JSON answer must be an object (its schema's "
            f"type is {answer.get('type')!r}): wrap it in an object, or ask for it in a "
            "request without tools",
            provider="local",
        )
    if answer is None:
        choice = "answer: /[^\\[\\s](.|\\n)*/"
    else:
        choice = f"answer: %json {json.dumps(answer)}"
    return f"start: calls | answer\ncalls: %json {json.dumps(calls_schema(tools))}\n{choice}\n"


def grammar_for(request: ChatRequest) -> Grammar | None:
    """The grammar ``request``'s answer must follow, or ``None`` for free text.

    With tools, ``required`` or a named tool makes this turn's answer calls only; a
    ``response_format`` then applies to the answer of a later turn, as at OpenAI.
    """
    answer = answer_schema(request)
    tools = uses_tools(request)
    if not tools and answer is None:
        return None
    require_local_packages()  # says what to install, rather than an ImportError
    from llguidance import LLMatcher

    if not tools:
        return Grammar("json", LLMatcher.grammar_from_json_schema(answer)) if answer else None
    offered = offered_tools(request)
    if request.tool_choice is not None and request.tool_choice.mode in ("required", "tool"):
        return Grammar("calls", LLMatcher.grammar_from_json_schema(calls_schema(offered)))
    return Grammar("auto", LLMatcher.grammar_from_lark(answer_or_calls(offered, answer)))
