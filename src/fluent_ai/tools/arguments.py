"""Turn a model's raw tool arguments into a mapping, and its mistakes into advice.

A model that sends bad arguments can fix them on its next turn, but only if it is
told precisely what was wrong. Every problem becomes one line naming the argument,
what was expected and what arrived; the lines go back to the model as the tool's
(error) result instead of ending the run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from fluent_ai.tools.errors import ToolArgumentsError

_MAX_SHOWN = 120


def load_arguments(tool_name: str, arguments: str | Mapping[str, Any]) -> dict[str, Any]:
    """Decode raw JSON arguments into a dict; an empty string means no arguments."""
    if isinstance(arguments, Mapping):
        return dict(arguments)
    if not arguments.strip():
        return {}
    try:
        value = json.loads(arguments)
    except json.JSONDecodeError as exc:
        raise arguments_error(tool_name, [f"the arguments are not valid JSON: {exc}"]) from exc
    if not isinstance(value, dict):
        raise arguments_error(
            tool_name, [f"the arguments must be a JSON object (got {show(value)})"]
        )
    return value


def arguments_error(tool_name: str, problems: Iterable[str]) -> ToolArgumentsError:
    """One error listing every problem, worded so the model can retry."""
    lines = "\n".join(f"- {problem}" for problem in problems)
    return ToolArgumentsError(
        f"Invalid arguments for tool {tool_name!r}:\n{lines}\n"
        "Call the tool again with corrected arguments."
    )


def validation_error(
    tool_name: str, error: ValidationError, parameters: Iterable[str]
) -> ToolArgumentsError:
    """Reword a pydantic validation error as a :class:`ToolArgumentsError`."""
    names = ", ".join(parameters) or "none"
    problems = [_problem(detail, names) for detail in error.errors(include_url=False)]
    return arguments_error(tool_name, problems)


def show(value: Any) -> str:
    """A short JSON rendering of a value the model sent."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _problem(detail: ErrorDetails, parameters: str) -> str:
    kind = detail["type"]
    where = _location(detail["loc"])
    if kind == "json_invalid":
        reason = detail.get("ctx", {}).get("error", detail["msg"])
        return f"the arguments are not valid JSON: {reason}"
    if not where:
        return f"the arguments must be a JSON object (got {show(detail['input'])})"
    if kind == "missing":
        return f"{where}: missing required argument"
    if kind == "extra_forbidden" and len(detail["loc"]) == 1:
        return f"{where}: unexpected argument (the parameters are: {parameters})"
    return f"{where}: {detail['msg']} (got {show(detail['input'])})"


def _location(loc: tuple[int | str, ...]) -> str:
    """``('items', 0, 'price')`` becomes ``items[0].price``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
