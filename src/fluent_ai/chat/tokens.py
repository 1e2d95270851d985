"""How many tokens messages take in a prompt, for trimming a conversation to a budget.

Text is counted with a :class:`~fluent_ai.templates.Tokenizer`; the rest are
estimates, because each provider prices them its own way: every message carries a
few tokens of role markers and delimiters, and images and binary documents are
charged a flat amount (providers bill them by pixel size or page count, which the
bytes alone do not say cheaply). The figures lean high, so a conversation trimmed to
a budget fits the real window rather than overflowing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_never

from fluent_ai.templates.tokenizer import Tokenizer
from fluent_ai.types.messages import (
    DocumentPart,
    ImagePart,
    Message,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)

MESSAGE_OVERHEAD = 4
"""Role marker and delimiters around each message (OpenAI documents 3 to 4)."""

IMAGE_TOKENS = 1_600
"""An image at full detail: Anthropic's ceiling is about 1,600, OpenAI's 1,105 for 1024²."""

LOW_DETAIL_IMAGE_TOKENS = 85
"""An image sent with ``detail="low"``, which OpenAI bills at a flat 85."""

DOCUMENT_TOKENS = 3_000
"""A binary document (PDF): Anthropic bills 1,500 to 3,000 per page; one page assumed."""


def message_tokens(message: Message, tokenizer: Tokenizer) -> int:
    """The tokens ``message`` takes in a prompt, its role overhead included."""
    return MESSAGE_OVERHEAD + sum(part_tokens(part, tokenizer) for part in message.parts)


def system_tokens(system: str | None, tokenizer: Tokenizer) -> int:
    """The tokens a system prompt takes (none when there is no system prompt)."""
    return 0 if system is None else MESSAGE_OVERHEAD + tokenizer.count(system)


def prompt_tokens(system: str | None, messages: Iterable[Message], tokenizer: Tokenizer) -> int:
    """The tokens of a whole prompt: system prompt and messages."""
    return system_tokens(system, tokenizer) + sum(message_tokens(m, tokenizer) for m in messages)


def part_tokens(part: Part, tokenizer: Tokenizer) -> int:
    """The tokens one part takes: counted for text, estimated for images and documents."""
    match part:
        case TextPart(text=text):
            return tokenizer.count(text)
        case ThinkingPart(text=text, redacted=redacted):
            return tokenizer.count(text) + tokenizer.count(redacted or "")
        case ToolCallPart(name=name, arguments=arguments):
            return tokenizer.count(name) + tokenizer.count(arguments)
        case ToolResultPart(content=content, name=name):
            return tokenizer.count(content) + tokenizer.count(name or "")
        case ImagePart(detail=detail):
            return LOW_DETAIL_IMAGE_TOKENS if detail == "low" else IMAGE_TOKENS
        case DocumentPart(data=data, media_type=media_type) if data is not None and (
            media_type or ""
        ).startswith("text/"):
            return tokenizer.count(data.decode("utf-8", errors="replace"))
        case DocumentPart():
            return DOCUMENT_TOKENS
    assert_never(part)
