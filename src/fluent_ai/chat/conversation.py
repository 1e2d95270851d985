"""A conversation: the system prompt, the messages in order, and metadata about them.

This is storage, not behaviour: it holds what was said, counts and trims it to a
token budget, and saves, loads and exports it. Running the model and tools is the
agent's job. The formats live in their own modules (:mod:`fluent_ai.chat.codec`,
``markdown``, ``html``, ``storage``), which build on this class; its methods for
them import them when called, since a module cannot import what imports it.
"""

from __future__ import annotations

import copy
import os
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from fluent_ai.chat.tokens import prompt_tokens
from fluent_ai.chat.trimming import latest_prompt, trim_messages
from fluent_ai.templates.tokenizer import DEFAULT_TOKENIZER, Tokenizer
from fluent_ai.types.messages import Message


class Conversation(BaseModel):
    """Messages in order, with the system prompt kept apart as every provider wants it.

    ``metadata`` is free-form JSON about the conversation (a title, the model, ids of
    your own); it is saved and exported with the messages.
    """

    model_config = ConfigDict(extra="forbid")

    system: str | None = None
    messages: list[Message] = Field(default_factory=list)
    metadata: dict[str, JsonValue] = Field(default_factory=dict)

    def add(self, *messages: Message) -> Self:
        """Append ``messages``; returns the conversation, so calls can be chained."""
        self.messages.extend(messages)
        return self

    @property
    def latest_user_message(self) -> Message | None:
        """The last user message that asks something (not only tool results), if any."""
        index = latest_prompt(self.messages)
        return None if index is None else self.messages[index]

    def tokens(self, tokenizer: Tokenizer | None = None) -> int:
        """The tokens the system prompt and messages take (default tokenizer: the estimate)."""
        return prompt_tokens(self.system, self.messages, _tokenizer(tokenizer))

    def trim(self, max_tokens: int, tokenizer: Tokenizer | None = None) -> Conversation:
        """A copy that fits ``max_tokens``, oldest turns dropped first.

        A tool call is never separated from its result, and the system prompt, any
        system messages and the latest user message are always kept (see
        :mod:`fluent_ai.chat.trimming`). This conversation is left whole, so the full
        history can still be saved while a trimmed copy is sent.
        """
        if max_tokens < 0:
            raise ValueError(f"max_tokens must be 0 or more, not {max_tokens}")
        kept = trim_messages(self.system, self.messages, max_tokens, _tokenizer(tokenizer))
        metadata = copy.deepcopy(self.metadata)
        return self.model_copy(update={"messages": kept, "metadata": metadata})

    def to_json(self, *, indent: int | None = 2) -> str:
        """The conversation as a JSON document (see :mod:`fluent_ai.chat.codec`)."""
        from fluent_ai.chat.codec import to_json

        return to_json(self, indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Conversation:
        """A conversation from :meth:`to_json` output; malformed input raises
        :class:`~fluent_ai.chat.ConversationFormatError` naming the field."""
        from fluent_ai.chat.codec import from_json

        return from_json(text)

    def to_jsonl(self) -> str:
        """The conversation as JSON lines: a header line, then one line per message."""
        from fluent_ai.chat.codec import to_jsonl

        return to_jsonl(self)

    @classmethod
    def from_jsonl(cls, text: str | bytes) -> Conversation:
        """A conversation from :meth:`to_jsonl` output; errors name the line and field."""
        from fluent_ai.chat.codec import from_jsonl

        return from_jsonl(text)

    def to_markdown(self) -> str:
        """A Markdown transcript for people to read (not for loading back)."""
        from fluent_ai.chat.markdown import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        """A standalone HTML page for people to read, everything escaped."""
        from fluent_ai.chat.html import to_html

        return to_html(self)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write to ``path`` atomically: as JSON lines for ``.jsonl``, else as JSON."""
        from fluent_ai.chat.storage import save

        save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Conversation:
        """Read a conversation :meth:`save` wrote (``.jsonl``: JSON lines, else JSON)."""
        from fluent_ai.chat.storage import load

        return load(path)


def _tokenizer(tokenizer: Tokenizer | None) -> Tokenizer:
    return DEFAULT_TOKENIZER if tokenizer is None else tokenizer
