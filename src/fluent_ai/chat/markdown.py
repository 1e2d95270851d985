"""A conversation as a Markdown transcript, for people to read.

Message text is kept as written, since models already answer in Markdown. What the
transcript adds around it is made safe: code fences are longer than any run of
backticks inside them, link texts escape brackets, and link targets are wrapped in
``<...>`` with the characters that would end them percent-encoded. Images appear
inline (their URL or a ``data:`` URL); documents become links. This is an export
only: load conversations back from JSON or JSON lines.
"""

from __future__ import annotations

import re

from fluent_ai.chat.conversation import Conversation
from fluent_ai.chat.display import (
    arguments_text,
    heading,
    metadata_items,
    safe_url,
    title,
)
from fluent_ai.types.messages import (
    DocumentPart,
    ImagePart,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)

_BACKTICKS = re.compile(r"`+")


def to_markdown(conversation: Conversation) -> str:
    """The whole conversation: title, metadata, system prompt, then each message."""
    blocks = [f"# {_inline(title(conversation))}"]
    items = metadata_items(conversation)
    if items:
        blocks.append("\n".join(f"- **{_inline(key)}:** {_code(value)}" for key, value in items))
    if conversation.system is not None:
        blocks.extend(["## System prompt", conversation.system])
    for message in conversation.messages:
        blocks.append(f"## {_inline(heading(message))}")
        blocks.extend(part_markdown(part) for part in message.parts)
    return "\n\n".join(blocks) + "\n"


def part_markdown(part: Part) -> str:
    """One part as a Markdown block."""
    match part:
        case TextPart(text=text):
            return text
        case ThinkingPart():
            return _thinking(part)
        case ToolCallPart(id=call_id, name=name, arguments=arguments):
            label = f"**Tool call** {_code(name)} · {_code(call_id)}"
            return f"{label}\n\n{fenced(arguments_text(arguments), 'json')}"
        case ToolResultPart(tool_call_id=call_id, name=name, content=content):
            sender = f" from {_code(name)}" if name else ""
            error = " *(error)*" if part.is_error else ""
            label = f"**Tool result**{sender} · {_code(call_id)}{error}"
            return f"{label}\n\n{fenced(content)}"
        case ImagePart():
            return _link(part.data_url, "image", image=True)
        case DocumentPart(name=name, media_type=media_type):
            text = name or "document"
            if media_type:
                text += f" ({media_type})"
            return _link(part.data_url, text, image=False)


def _thinking(part: ThinkingPart) -> str:
    """Reasoning as a block quote, so it reads apart from the answer."""
    label = "**Thinking**" + (" *(redacted by the provider)*" if part.redacted else "")
    lines = [label, "", *part.text.split("\n")] if part.text else [label]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def fenced(text: str, language: str = "") -> str:
    """``text`` in a code fence that no backtick run inside it can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _link(url: str, text: str, *, image: bool) -> str:
    target = safe_url(url, image=image)
    label = re.sub(r"([\[\]\\])", r"\\\1", text)
    if target is None:
        return f"{label}: {_code(url)}"
    escaped = target.replace("<", "%3C").replace(">", "%3E").replace("\n", "%0A")
    return f"{'!' if image else ''}[{label}](<{escaped}>)"


def _code(text: str) -> str:
    """``text`` as inline code on one line, its delimiter longer than any backtick run in it."""
    text = _inline(text)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _inline(text: str) -> str:
    """A heading or label on one line, so a newline in a name cannot start a new block."""
    return " ".join(text.split())
