"""The calls the model wrote (a JSON list, as its grammar forced) as stream events.

Each call becomes what every remote provider's decoder emits for a whole call
(Ollama's, for one): :class:`ToolCallStart` with a fresh id, one
:class:`ToolCallDelta` with the arguments as JSON text, and :class:`ToolCallEnd`.
The ids are random (``call_`` and 24 hex digits), so that the results of one turn's
calls can never be taken for another turn's in a long conversation.
"""

from __future__ import annotations

import json
import uuid

from fluent_ai.types import LocalModelError, StreamEvent, ToolCallDelta, ToolCallEnd, ToolCallStart


def call_events(text: str) -> list[StreamEvent]:
    """The events of the calls in ``text``, a complete answer of the calls grammar.

    The grammar guarantees the form; a text that does not have it means the grammar
    and this reader disagree, which is a bug reported as such rather than a guess.
    """
    try:
        calls = json.loads(text)
        if not isinstance(calls, list):
            raise TypeError(f"a {type(calls).__name__}, not a list")
        pairs = [(str(call["name"]), call["arguments"]) for call in calls]
    except (ValueError, TypeError, KeyError) as error:
        raise LocalModelError(
            f"the local model's tool calls do not read as a list of calls ({error}): "
            f"{text[:200]!r}; this is a bug in fluent-ai's tool grammar, please report it",
            provider="local",
        ) from error
    events: list[StreamEvent] = []
    for index, (name, arguments) in enumerate(pairs):
        events.append(ToolCallStart(index=index, id=f"call_{uuid.uuid4().hex[:24]}", name=name))
        events.append(ToolCallDelta(index, json.dumps(arguments, ensure_ascii=False)))
        events.append(ToolCallEnd(index))
    return events


class CallReader:
    """Tells an answer's calls from its text, piece by piece, as the grammar's mode says.

    In ``calls`` mode every piece is part of the list of calls; in ``auto`` mode the first
    piece decides (the grammar lets only a list of calls begin with ``[``); otherwise all
    is text. Calls are held until the answer is complete, then read whole: their
    arguments are only known to be complete JSON once the grammar has closed them.
    """

    def __init__(self, mode: str | None) -> None:
        self._deciding = mode == "auto"
        self._held: list[str] | None = [] if mode == "calls" else None

    def text(self, piece: str) -> str | None:
        """``piece`` if it is text to show, ``None`` if it belongs to the calls."""
        if self._deciding:
            self._deciding = False
            if piece.startswith("["):
                self._held = []
        if self._held is None:
            return piece
        self._held.append(piece)
        return None

    @property
    def calling(self) -> bool:
        """Whether the answer is tool calls rather than text."""
        return self._held is not None

    def events(self) -> list[StreamEvent]:
        """The calls' events, once the answer is complete (none for a text answer)."""
        return call_events("".join(self._held)) if self._held is not None else []
