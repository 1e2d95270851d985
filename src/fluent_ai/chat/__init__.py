"""Conversations: history, token-aware trimming, saving, loading and export (layer 4).

    from fluent_ai.chat import Conversation
    from fluent_ai.types import Message

    chat = Conversation(system="You help with Python.", metadata={"title": "Decorators"})
    chat.add(Message.user("What is a decorator?"), Message.assistant("A function that…"))
    prompt = chat.trim(max_tokens=8_000)      # oldest turns dropped first; chat is unchanged
    chat.save("chats/decorators.jsonl")      # atomic; .jsonl → JSON lines, else JSON
    same = Conversation.load("chats/decorators.jsonl")
    html = chat.to_html()                    # or to_markdown(), to_json(), to_jsonl()

JSON and JSON lines round-trip every part exactly (bytes as base64, thinking
signatures included); malformed input raises :class:`ConversationFormatError`
naming the file, line and field.
"""

from fluent_ai.chat.codec import from_json, from_jsonl, to_json, to_jsonl
from fluent_ai.chat.conversation import Conversation
from fluent_ai.chat.errors import ConversationFormatError
from fluent_ai.chat.html import to_html
from fluent_ai.chat.markdown import to_markdown
from fluent_ai.chat.storage import load, save
from fluent_ai.chat.tokens import message_tokens, prompt_tokens
from fluent_ai.chat.trimming import trim_messages

__all__ = [
    "Conversation",
    "ConversationFormatError",
    "from_json",
    "from_jsonl",
    "load",
    "message_tokens",
    "prompt_tokens",
    "save",
    "to_html",
    "to_json",
    "to_jsonl",
    "to_markdown",
    "trim_messages",
]
