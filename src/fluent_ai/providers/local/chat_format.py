"""How a model's conversations are written: its chat template and its special tokens.

Both come from the GGUF file's metadata, which takes a while to parse (the vocabulary
is tens of thousands of strings), so they are read once, when the graph is built, and
kept beside it in ``chat.json``; a warm start reads that small file instead.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluent_ai.providers.local.chat_template import ChatTemplate, chat_template_from_gguf
from fluent_ai.providers.local.gguf_tokenizer import (
    SpecialTokens,
    encode_prompt,
    special_tokens_from_gguf,
)
from fluent_ai.providers.local.prompt import TemplateMessage

if TYPE_CHECKING:
    from tokenizers import Tokenizer

CHAT_FILE = "chat.json"


@dataclass(frozen=True, slots=True)
class ChatFormat:
    """The template that lays out a conversation and the ids that start and end replies."""

    template: ChatTemplate
    special: SpecialTokens

    @property
    def end_ids(self) -> tuple[int, ...]:
        return self.special.end_ids

    @classmethod
    def from_gguf(cls, metadata: Mapping[str, Any]) -> ChatFormat:
        """The format a GGUF file's metadata (``GGUFFile(path).fields``) describes."""
        special = special_tokens_from_gguf(metadata)
        return cls(chat_template_from_gguf(metadata, special), special)

    def prompt_ids(self, tokenizer: Tokenizer, messages: list[TemplateMessage]) -> list[int]:
        """``messages`` rendered by the template, ready for the model to answer."""
        text = self.template.render(messages, add_generation_prompt=True)
        return encode_prompt(tokenizer, self.special, text)

    def write(self, directory: Path) -> None:
        record = {"template": self.template.source, "special": dataclasses.asdict(self.special)}
        (directory / CHAT_FILE).write_text(json.dumps(record, ensure_ascii=False))

    @classmethod
    def read(cls, directory: Path) -> ChatFormat:
        record: dict[str, Any] = json.loads((directory / CHAT_FILE).read_text())
        fields = record["special"]
        special = SpecialTokens(**{**fields, "end_ids": tuple(fields["end_ids"])})
        template = ChatTemplate(
            record["template"], bos_token=special.bos_token, eos_token=special.eos_token
        )
        return cls(template, special)
