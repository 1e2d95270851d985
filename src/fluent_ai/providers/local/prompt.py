"""Turn a request's conversation into the messages the model's chat template expects.

The template itself comes from the model's own metadata (the GGUF file's
``tokenizer.chat_template``, applied by the tokenizer), so this module only produces
plain ``{"role", "content"}`` dicts and refuses, before any generation, what a small
text-only model cannot take: images, documents, tool calls and tool results.
"""

from __future__ import annotations

from fluent_ai.types import (
    ChatRequest,
    Message,
    TextPart,
    ThinkingPart,
    UnsupportedFeatureError,
)

TemplateMessage = dict[str, str]

_PART_NAMES = {
    "image": "images",
    "document": "documents (extract their text first)",
    "tool_call": "tool calls",
    "tool_result": "tool results",
}


def _unsupported(model: str, what: str) -> UnsupportedFeatureError:
    return UnsupportedFeatureError(f"the local model {model} cannot take {what}", provider="local")


def _content(message: Message, model: str) -> str:
    """The message's text parts, one block each.

    Parts are separate blocks (a pasted file, then a question), so they are joined with
    a blank line rather than run together. Thinking from another model is dropped: this
    model never reasons visibly and its template has no place for it.
    """
    texts: list[str] = []
    for part in message.parts:
        if isinstance(part, TextPart):
            texts.append(part.text)
        elif not isinstance(part, ThinkingPart):
            raise _unsupported(model, _PART_NAMES[part.type])
    return "\n\n".join(texts)


def check_features(request: ChatRequest, model: str) -> None:
    """Refuse request options the model cannot honour, rather than ignore them."""
    if request.tools and not (request.tool_choice and request.tool_choice.mode == "none"):
        raise _unsupported(model, "tools (it cannot call them); use a remote model for tools")
    if request.response_format and request.response_format.type != "text":
        raise _unsupported(model, f"response_format={request.response_format.type!r}")


def template_messages(request: ChatRequest, model: str) -> list[TemplateMessage]:
    """The conversation as chat-template messages, every system text first.

    ``request.system`` and any system messages become one leading system message, the
    place every chat template expects it; with none, the template's own default system
    prompt applies (SmolLM2 introduces itself as SmolLM).
    """
    check_features(request, model)
    system = [request.system] if request.system else []
    turns: list[TemplateMessage] = []
    for message in request.messages:
        if message.role == "tool":
            raise _unsupported(model, "tool results")
        content = _content(message, model)
        if message.role == "system":
            system.append(content)
        else:
            turns.append({"role": message.role, "content": content})
    if system:
        turns.insert(0, {"role": "system", "content": "\n\n".join(system)})
    return turns
