"""What :class:`~fluent_ai.engine.observe.Observed` reports of each call: two events.

Every call, ``complete`` or ``stream``, is a :class:`CallStart` when it is sent and
exactly one :class:`CallEnd` when it is over, however it ended: answered, failed (the
error's type and the error), or stopped by the caller (a reader that closed a stream
early, a cancelled task). ``CallEnd`` carries everything a dashboard, a budget or a log
needs (usage, cost, latency, time to first event, finish reason), and the request and
the answer themselves, so a callback can keep what it wants without asking again.
Both share the call's ``id``, to pair them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from fluent_ai.types import ChatRequest, ChatResponse, FinishReason, Usage

Outcome = Literal["ok", "error", "cancelled"]
"""How a call ended: answered; failed with an error; stopped by its caller."""


@dataclass(frozen=True, slots=True)
class CallStart:
    """A call was sent. ``time`` is the wall clock (seconds since the epoch);
    ``deployment`` names the router deployment it went to, if any."""

    id: str
    time: float
    model: str
    provider: str
    deployment: str | None
    stream: bool
    request: ChatRequest
    conversation: str | None = None


@dataclass(frozen=True, slots=True)
class CallEnd:
    """A call is over.

    ``latency`` is the whole call in seconds; ``first_event`` the time to a stream's
    first event (``None`` for ``complete``, or a stream that sent none). ``cost_usd`` is
    the provider's or the model runner's figure, else the registry's price of
    ``usage``; ``None`` when the model has no price. ``response`` is the answer, or as
    much of it as arrived when a stream broke (``None`` when nothing did).
    ``error_type`` is the error's class name for ``outcome="error"``.
    """

    id: str
    time: float
    model: str
    provider: str
    deployment: str | None
    stream: bool
    request: ChatRequest
    outcome: Outcome
    latency: float
    first_event: float | None = None
    response: ChatResponse | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None
    finish_reason: FinishReason | None = None
    error_type: str | None = None
    error: BaseException | None = None
    conversation: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def response_model(self) -> str | None:
        return self.response.model if self.response is not None else None

    @property
    def response_id(self) -> str | None:
        return self.response.id if self.response is not None else None


CallEvent = CallStart | CallEnd

EventCallback = Callable[[CallEvent], object]
"""Called with each event, synchronously, on the caller's event loop: keep it quick (hand
slow work to a queue). What it returns is ignored; what it raises is logged, and the
call goes on."""


__all__ = ["CallEnd", "CallEvent", "CallStart", "EventCallback", "Outcome"]
