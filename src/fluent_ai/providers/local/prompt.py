"""Turn a request's conversation into the messages the model's chat template expects.

The template itself comes from the model's own metadata (the GGUF file's
``tokenizer.chat_template``, applied by the tokenizer), so this module only produces
plain ``{"role", "content"}`` dicts and refuses, before any generation, what a small
text-only model cannot take: images and documents.

Tools and structured output are followed by constrained decoding
(:mod:`.grammar`), but the model still has to know what it is writing: the offered
tools, or the JSON schema, are described in the system text, and earlier tool calls
and their results are written into the turns (:mod:`.tool_prompt`).
"""

from __future__ import annotations

import json

from fluent_ai.providers.local.grammar import offered_tools, uses_tools
from fluent_ai.providers.local.tool_prompt import calls_text, results_text, tool_instructions
from fluent_ai.types import (
    ChatRequest,
    Message,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    UnsupportedFeatureError,
)

TemplateMessage = dict[str, str]

_PART_NAMES = {"image": "images", "document": "documents (extract their text first)"}


def _unsupported(model: str, what: str) -> UnsupportedFeatureError:
    return UnsupportedFeatureError(f"the local model {model} cannot take {what}", provider="local")


def _content(message: Message, model: str, names: dict[str, str]) -> str:
    """The message's text parts, one block each, then its tool calls or results.

    Parts are separate blocks (a pasted file, then a question), so they are joined with
    a blank line rather than run together. Thinking from another model is dropped: this
    model never reasons visibly and its template has no place for it. ``names`` maps
    earlier calls' ids to their tools, for results that do not name theirs.
    """
    texts: list[str] = []
    calls: list[ToolCallPart] = []
    results: list[ToolResultPart] = []
    for part in message.parts:
        if isinstance(part, TextPart):
            texts.append(part.text)
        elif isinstance(part, ToolCallPart):
            calls.append(part)
        elif isinstance(part, ToolResultPart):
            results.append(part)
        elif not isinstance(part, ThinkingPart):
            raise _unsupported(model, _PART_NAMES[part.type])
    if calls:
        texts.append(calls_text(calls))
    if results:
        texts.append(results_text(results, names))
    return "\n\n".join(texts)


def _format_instructions(request: ChatRequest) -> list[str]:
    """What the system text says about the answer's form: the tools, then the JSON."""
    found = []
    choice = request.tool_choice.mode if request.tool_choice else "auto"
    if uses_tools(request):
        required = choice in ("required", "tool")
        found.append(tool_instructions(offered_tools(request), required=required))
        if required:  # this turn's answer is calls; the JSON is for a later turn's
            return found
    response = request.response_format
    if response is None or response.type == "text":
        return found
    if response.type == "json_object" or response.json_schema is None:
        found.append("Answer with one JSON object, and nothing else.")
    else:
        found.append(
            "Answer with one JSON value that matches this JSON schema, and nothing else:\n"
            + json.dumps(response.json_schema, ensure_ascii=False)
        )
    return found


def template_messages(request: ChatRequest, model: str) -> list[TemplateMessage]:
    """The conversation as chat-template messages, every system text first.

    ``request.system`` and any system messages become one leading system message, the
    place every chat template expects it; with none, the template's own default system
    prompt applies (SmolLM2 introduces itself as SmolLM). Consecutive tool results
    become one user turn, so user and assistant turns still alternate.
    """
    system = [request.system] if request.system else []
    turns: list[TemplateMessage] = []
    names: dict[str, str] = {}  # tool call id -> tool name, for results that lack one
    results_turn: int | None = None  # the index of the user turn holding tool results
    for message in request.messages:
        names.update((c.id, c.name) for c in message.parts if isinstance(c, ToolCallPart))
        content = _content(message, model, names)
        if message.role == "tool":
            if results_turn is not None and results_turn == len(turns) - 1:
                turns[results_turn]["content"] += "\n\n" + content
            else:
                results_turn = len(turns)
                turns.append({"role": "user", "content": content})
        elif message.role == "system":
            system.append(content)
        else:
            turns.append({"role": message.role, "content": content})
    system.extend(_format_instructions(request))
    if system:
        turns.insert(0, {"role": "system", "content": "\n\n".join(system)})
    return turns
