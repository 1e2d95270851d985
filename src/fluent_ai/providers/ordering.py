"""The one event order every decoder hands over, whatever order the wire used.

Vendors disagree about what comes after the finish reason: OpenAI and Mistral send the
usage chunk after the ``finish_reason`` chunk, Anthropic sends ``message_stop`` (and
with it the leftover fields) after the stop reason, Gemini puts both in one chunk. A
consumer that reacts to :class:`~fluent_ai.types.Finish` (stops a spinner, prints the
cost, closes a span) must not have to know which vendor it is talking to, so every
protocol promises the same thing (see :mod:`fluent_ai.types.events`): usage and
provider data first, and :class:`~fluent_ai.types.Finish` the very last event.

Decoders keep their vendor's logic as it is and pass what they return through
:class:`FinishLast` (streams: the finish is held back until the stream ends) or
:func:`finish_last` (whole answers), so the rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from fluent_ai.types import Finish, StreamEvent


def finish_last(events: Iterable[StreamEvent]) -> list[StreamEvent]:
    """A whole answer's events with its :class:`Finish` moved to the end.

    Should a body ever yield two, the later one is kept: it is the provider's last word.
    """
    kept: list[StreamEvent] = []
    last: Finish | None = None
    for event in events:
        if isinstance(event, Finish):
            last = event
        else:
            kept.append(event)
    if last is not None:
        kept.append(last)
    return kept


class FinishLast:
    """Holds a stream's :class:`Finish` back until the stream ends.

    A decoder returns ``order.hold(events)`` from ``feed`` and ``order.release(events)``
    from ``close``. The finish is then delivered after everything that followed it on
    the wire (the usage chunk, the gathered provider data). A stream that breaks after
    the finish reason raises from ``close`` as before, so nothing is lost by waiting.
    """

    __slots__ = ("_finish",)

    def __init__(self) -> None:
        self._finish: Finish | None = None

    def hold(self, events: list[StreamEvent]) -> list[StreamEvent]:
        """``events`` without its :class:`Finish`, which is kept for :meth:`release`."""
        for event in events:
            if isinstance(event, Finish):
                break
        else:  # no Finish: the common case, decided without building a new list
            return events
        kept: list[StreamEvent] = []
        for event in events:
            if isinstance(event, Finish):
                self._finish = event
            else:
                kept.append(event)
        return kept

    def release(self, events: list[StreamEvent]) -> list[StreamEvent]:
        """The stream's last events, then the held :class:`Finish` (if one arrived)."""
        kept = self.hold(events)
        if self._finish is not None:
            kept = [*kept, self._finish]
            self._finish = None
        return kept
