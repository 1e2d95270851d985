"""Tools in the prompt: what the model is told it may call, and past calls and results.

Most small models' chat templates (SmolLM2's among them) have no place for tools, so
the tools go into the system text, after the wording of SmolLM2's function-calling
fine-tuning: the tools as JSON between ``<tools>`` tags, and calls as a JSON list of
``{"name", "arguments"}``. Earlier calls are written back into the assistant's turn in
that same list, and tool results as a user turn after it: every chat template accepts
user and assistant turns in alternation, while a ``tool`` role is one many templates
(Mistral's, Llama 2's) refuse.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from fluent_ai.types import ToolCallPart, ToolResultPart, ToolSpec

_INTRO = (
    "You are an expert in composing functions. You have access to the following tools:\n"
    "<tools>{tools}</tools>\n\n"
)
_REQUIRED = (
    "Answer with one or more tool calls, and nothing else, as a JSON list:\n"
    '[{{"name": "tool_name", "arguments": {{"argument": "value"}}}}]'
)
_AUTO = (
    "If a tool helps to answer, answer with only the tool calls, as a JSON list:\n"
    '[{{"name": "tool_name", "arguments": {{"argument": "value"}}}}]\n'
    "Otherwise, or once the tool results are given, answer the user in plain text."
)


def tool_instructions(tools: Sequence[ToolSpec], *, required: bool) -> str:
    """The system text that offers ``tools`` and says how to call them."""
    listed = json.dumps(
        [{"name": t.name, "description": t.description, "parameters": t.parameters} for t in tools],
        ensure_ascii=False,
    )
    return (_INTRO + (_REQUIRED if required else _AUTO)).format(tools=listed)


def calls_text(calls: Sequence[ToolCallPart]) -> str:
    """Earlier calls as the model writes them: one JSON list.

    Arguments that are not JSON (a remote model's broken call, kept in the history) are
    passed on as a string rather than dropped, so the model still sees what was asked.
    """
    listed = []
    for call in calls:
        try:
            arguments = json.loads(call.arguments or "{}")
        except ValueError:
            arguments = call.arguments
        listed.append({"name": call.name, "arguments": arguments})
    return json.dumps(listed, ensure_ascii=False)


def results_text(results: Sequence[ToolResultPart], names: dict[str, str]) -> str:
    """Tool results as a user turn: each with the tool's name, errors marked."""
    blocks = []
    for result in results:
        name = result.name or names.get(result.tool_call_id, "tool")
        status = "failed" if result.is_error else "returned"
        blocks.append(f"The tool {name} {status}:\n{result.content}")
    return "\n\n".join(blocks)
