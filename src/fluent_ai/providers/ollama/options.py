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

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from fluent_ai.providers.ollama.content import PROVIDER
from fluent_ai.types import (
    ChatRequest,
    ResponseFormat,
    ToolChoice,
    ToolSpec,
    UnsupportedFeatureError,
)


class WireField(NamedTuple):
    """A neutral ``ChatRequest`` field and how its wire value is read and written."""

    name: str
    read: Callable[[Any], Any]
    render: Callable[[Any], Any]


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


def _same(value: Any) -> Any:
    return value


FIELDS: dict[str, WireField] = {
    "tools": WireField("tools", read_tools, render_tools),
    "format": WireField("response_format", read_format, render_format),
}
"""Top-level wire key -> neutral field, in the order the encoder writes them."""

OPTIONS: dict[str, WireField] = {
    "temperature": WireField("temperature", _number, _same),
    "top_p": WireField("top_p", _number, _same),
    "num_predict": WireField("max_tokens", _integer, _same),
    "stop": WireField("stop", _strings, list),
    "seed": WireField("seed", _integer, _same),
}
"""``options`` key -> neutral field."""


def encode_fields(request: ChatRequest) -> dict[str, Any]:
    """The top-level wire values of every neutral field the request sets."""
    if request.metadata is not None:
        raise UnsupportedFeatureError("Ollama's chat API takes no metadata", provider=PROVIDER)
    body = _render(FIELDS, request)
    if not sends_tools(request.tool_choice):
        body.pop("tools", None)
    return body


def encode_options(request: ChatRequest) -> dict[str, Any]:
    """The ``options`` values of every neutral field the request sets."""
    return _render(OPTIONS, request)


def _render(fields: Mapping[str, WireField], request: ChatRequest) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    for key, field in fields.items():
        value = getattr(request, field.name)
        if value is not None and (rendered := field.render(value)) is not None:
            wire[key] = rendered
    return wire


def claim_fields(fields: Mapping[str, WireField], rest: dict[str, Any]) -> dict[str, Any]:
    """Move the values that read back exactly out of ``rest``; return them by neutral name."""
    claimed: dict[str, Any] = {}
    for key, field in fields.items():
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
