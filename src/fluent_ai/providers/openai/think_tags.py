"""Thinking sent inside the answer text, as a leading ``<think>…</think>`` block.

Open reasoning models served without a reasoning parser (DeepSeek-R1 through the
Hugging Face router, Together, Fireworks) put their thinking at the start of
``content``. Vendors with :attr:`Quirks.think_tags <.quirks.Quirks.think_tags>` have it
split off here, so the answer's text is only the answer. Only a block that opens the
content counts: tags later in the text are the model talking about tags. A block that
never closes (the answer hit the token limit while thinking) is all thinking.

Tags can be cut anywhere by the stream's chunking, so text that might be the start of a
tag is held back until the next piece shows what it is.
"""

from __future__ import annotations

from fluent_ai.types import StreamEvent, TextDelta, ThinkingDelta

OPEN, CLOSE = "<think>", "</think>"


class ThinkTagSplitter:
    """Feed the content pieces in order, then :meth:`flush` when the content ends."""

    def __init__(self) -> None:
        self._state = "start"  # start -> thinking -> after -> text, or start -> text
        self._held = ""

    def feed(self, text: str) -> list[StreamEvent]:
        if self._state == "text":
            return [TextDelta(text)]
        self._held += text
        if self._state == "start":
            lead = self._held.lstrip()
            if OPEN.startswith(lead):
                return []  # still could be the opening tag
            if not lead.startswith(OPEN):
                return self._to_text(self._held)
            self._state, self._held = "thinking", lead[len(OPEN) :]
        if self._state == "thinking":
            end = self._held.find(CLOSE)
            if end < 0:
                cut = len(self._held) - _partial_close(self._held)
                thought, self._held = self._held[:cut], self._held[cut:]
                return [ThinkingDelta(thought)] if thought else []
            thought, self._held = self._held[:end], self._held[end + len(CLOSE) :]
            self._state = "after"
            events: list[StreamEvent] = [ThinkingDelta(thought)] if thought else []
            return events + self.feed("")
        answer = self._held.lstrip()  # "after": the blank lines between thinking and answer
        return self._to_text(answer) if answer else []

    def flush(self) -> list[StreamEvent]:
        held, self._held = self._held, ""
        if not held:
            return []
        if self._state == "thinking":
            return [ThinkingDelta(held)]
        return [] if self._state == "after" else [TextDelta(held)]

    def _to_text(self, text: str) -> list[StreamEvent]:
        self._state, self._held = "text", ""
        return [TextDelta(text)] if text else []


def _partial_close(text: str) -> int:
    """How many trailing characters of ``text`` could begin ``</think>``."""
    for size in range(min(len(CLOSE) - 1, len(text)), 0, -1):
        if CLOSE.startswith(text[-size:]):
            return size
    return 0
