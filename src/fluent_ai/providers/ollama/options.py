"""The request's fields besides the conversation: each neutral field and its Ollama spelling.

Sampling settings live in ``options``, Ollama's Modelfile parameters: ``temperature``,
``top_p``, ``num_predict`` (the output cap, ``max_tokens``), ``stop`` and ``seed`` have
neutral twins. The others (``top_k``, ``num_ctx``, ``min_p``, ``repeat_penalty``, …) go
in ``extra["options"]``, merged over the neutral ones, since ``extra`` is always
applied last. At the top level:

* ``tools`` take OpenAI's function shape. Ollama has no strict schemas for tools, so a
  tool asking for one is refused.
* ``format`` is ``"json"`` for any JSON object, or a JSON Schema. Ollama constrains
  decoding to the schema, so it is always strict; its ``name`` and ``description``
  have no field.
* Ollama has no tool choice. ``auto`` is what it does anyway and ``none`` is kept by
  not sending the tools; ``required`` and a named tool are refused.
* ``think`` (``true``/``false``, or ``"low"``/``"medium"``/``"high"``), ``keep_alive``,
  ``truncate``, ``shift``, ``logprobs`` and ``top_logprobs`` have no neutral field and
  pass through ``ChatRequest.extra``. There is no ``metadata``: a request with some
  is refused.

Each entry of :data:`FIELDS` and :data:`OPTIONS` pairs a reader with a renderer; the
request decoder claims a wire value for the neutral request only when rendering what
it read gives the value back exactly, and the encoder uses the same renderers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fluent_ai.providers import fields
from fluent_ai.providers.ollama.content import PROVIDER
from fluent_ai.types import (
    ChatRequest,
    ResponseFormat,
    ToolChoice,
    ToolSpec,
    UnsupportedFeatureError,
)


def render_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    wire = []
    for tool in tools:
        if tool.strict:
            raise UnsupportedFeatureError(
                f"Ollama has no strict mode for tools ({tool.name!r}): leave strict unset",
                provider=PROVIDER,
            )
        function: dict[str, Any] = {"name": tool.name}
        if tool.description:
            function["description"] = tool.description
        function["parameters"] = tool.parameters
        wire.append({"type": "function", "function": function})
    return wire


def read_tools(value: Any) -> list[ToolSpec]:
    specs = []
    for tool in value:
        if tool.get("type") != "function":
            raise ValueError(f"not a function tool: {tool!r}")
        function = tool["function"]
        specs.append(
            ToolSpec(
                name=function["name"],
                description=function.get("description", ""),
                parameters=function.get("parameters", {}),
            )
        )
    return specs


def render_format(fmt: ResponseFormat) -> str | dict[str, Any] | None:
    """``None`` for plain text, which Ollama spells by leaving ``format`` out."""
    if fmt.type == "text":
        return None
    if fmt.type == "json_object":
        return "json"
    if fmt.json_schema is None:
        raise UnsupportedFeatureError("json_schema output needs a schema", provider=PROVIDER)
    return fmt.json_schema


def read_format(value: Any) -> ResponseFormat:
    if value == "json":
        return ResponseFormat(type="json_object")
    if isinstance(value, dict):
        return ResponseFormat(type="json_schema", json_schema=value)
    raise ValueError(f"not a format with a neutral reading: {value!r}")


def sends_tools(choice: ToolChoice | None) -> bool:
    """Whether the tools go out under ``choice``: Ollama can only be kept from calling."""
    if choice is None or choice.mode == "auto":
        return True
    if choice.mode == "none":
        return False
    raise UnsupportedFeatureError(
        f"Ollama cannot be made to call a tool (tool choice {choice.mode!r}): leave tool "
        "choice on 'auto' and say in the prompt which tool to use",
        provider=PROVIDER,
    )


FIELDS: dict[str, fields.WireField] = {
    "tools": fields.WireField("tools", read_tools, render_tools),
    "format": fields.WireField("response_format", read_format, render_format),
}
"""Top-level wire key -> neutral field, in the order the encoder writes them."""

OPTIONS: dict[str, fields.WireField] = {
    "temperature": fields.WireField("temperature", fields.number, fields.same),
    "top_p": fields.WireField("top_p", fields.number, fields.same),
    "num_predict": fields.WireField("max_tokens", fields.integer, fields.same),
    "stop": fields.WireField("stop", fields.strings, list),
    "seed": fields.WireField("seed", fields.integer, fields.same),
}
"""``options`` key -> neutral field."""


def encode_fields(request: ChatRequest) -> dict[str, Any]:
    """The top-level wire values of every neutral field the request sets."""
    if request.metadata is not None:
        raise UnsupportedFeatureError("Ollama's chat API takes no metadata", provider=PROVIDER)
    body = fields.encode_fields(FIELDS, request)
    if not sends_tools(request.tool_choice):
        body.pop("tools", None)
    return body


def encode_options(request: ChatRequest) -> dict[str, Any]:
    """The ``options`` values of every neutral field the request sets."""
    return fields.encode_fields(OPTIONS, request)
