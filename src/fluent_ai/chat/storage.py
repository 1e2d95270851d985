"""Saving conversations to files and loading them back.

The format follows the file name: ``.jsonl`` for JSON lines, anything else for one
JSON document (see :mod:`fluent_ai.chat.codec`). Saving is atomic: the new content is
written and flushed to a temporary file beside the target, then renamed over it, so a
crash or a full disk mid-write leaves the previous file as it was, never half of one.
"""

from __future__ import annotations

import os
from pathlib import Path

from fluent_ai.chat.codec import from_json, from_jsonl, to_json, to_jsonl
from fluent_ai.chat.conversation import Conversation
from fluent_ai.models.atomic import atomic_write

JSONL_SUFFIX = ".jsonl"


def save(conversation: Conversation, path: str | os.PathLike[str]) -> None:
    """Write ``conversation`` to ``path``, replacing any file there in one step.

    Missing parent directories are created.
    """
    target = Path(path)
    text = to_jsonl(conversation) if _is_jsonl(target) else to_json(conversation) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text.encode("utf-8"))


def load(path: str | os.PathLike[str]) -> Conversation:
    """Read the conversation at ``path``, written by :func:`save` or by hand."""
    target = Path(path)
    data = target.read_bytes()
    source = str(target)
    if _is_jsonl(target):
        return from_jsonl(data, source=source)
    return from_json(data, source=source)


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() == JSONL_SUFFIX
