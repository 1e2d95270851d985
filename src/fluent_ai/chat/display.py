"""What the Markdown and HTML transcripts share: titles, labels, argument layout, safe links.

Links are only made for ``http``, ``https`` and relative URLs, and for ``data:`` URLs
(images only where an image is expected), so an exported transcript of untrusted
model output cannot carry a ``javascript:`` link; other URLs are shown as text.
"""

from __future__ import annotations

import json

from fluent_ai.chat.conversation import Conversation
from fluent_ai.types.messages import Message

ROLE_TITLES = {"system": "System", "user": "User", "assistant": "Assistant", "tool": "Tool"}
LINK_SCHEMES = frozenset({"http", "https"})


def title(conversation: Conversation) -> str:
    """``metadata["title"]`` when it is a string, else "Conversation"."""
    value = conversation.metadata.get("title")
    return value if isinstance(value, str) and value.strip() else "Conversation"


def metadata_items(conversation: Conversation) -> list[tuple[str, str]]:
    """Each metadata entry with its value as compact JSON, the title left out."""
    return [
        (key, json.dumps(value, ensure_ascii=False))
        for key, value in conversation.metadata.items()
        if not (key == "title" and isinstance(value, str))
    ]


def heading(message: Message) -> str:
    """The role as a title, with the sender's name if the message has one."""
    role = ROLE_TITLES[message.role]
    return f"{role} ({message.name})" if message.name else role


def arguments_text(arguments: str) -> str:
    """Tool arguments indented for reading when they are JSON, else as the model wrote them."""
    try:
        return json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except ValueError:
        return arguments


def safe_url(url: str, *, image: bool) -> str | None:
    """``url`` if a link or image source may point at it, else ``None``."""
    scheme, colon, rest = url.partition(":")
    if not colon:
        return url
    scheme = scheme.lower()
    if scheme in LINK_SCHEMES:
        return url
    if scheme == "data" and (not image or rest.lower().startswith("image/")):
        return url
    return None
