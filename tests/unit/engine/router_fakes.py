"""In-memory chat models for the router's unit tests: each call follows a script.

The HTTP path is the fault tests' job (``tests/integration/test_router_faults.py``);
here a model answers or fails at once, and moves a :class:`FakeClock` by ``takes``
seconds per call, so latencies are exact and no test sleeps.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from types import SimpleNamespace, TracebackType
from typing import Self

from fluent_ai.engine import Deployment
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    Finish,
    FinishReason,
    FluentAIError,
    ResponseStart,
    StreamEvent,
    TextDelta,
    Usage,
    UsageUpdate,
    collect_events,
)
from tests.support.faults import FakeClock


@dataclass(frozen=True)
class Answer:
    text: str = "ok"
    takes: float = 0.0  # seconds on the fake clock before the first event
    then: float = 0.0  # seconds more before the end


@dataclass(frozen=True)
class Broken:
    """Sends ResponseStart and ``sent`` text deltas, then raises ``error``."""

    error: FluentAIError
    sent: int = 1


Outcome = Answer | Broken | FluentAIError


@dataclass
class FakeModel:
    name: str
    clock: FakeClock | None = None
    default: Outcome = field(default_factory=Answer)
    protocol_name: str | None = None
    provider: str = "fake"
    received: list[ChatRequest] = field(default_factory=list)
    closed: int = 0
    _script: deque[Outcome] = field(default_factory=deque)

    def __post_init__(self) -> None:
        if self.protocol_name is not None:
            self.protocol = SimpleNamespace(name=self.protocol_name)

    def script(self, *outcomes: Outcome) -> FakeModel:
        self._script.extend(outcomes)
        return self

    def _next(self, request: ChatRequest) -> Outcome:
        self.received.append(request)
        return self._script.popleft() if self._script else self.default

    def _tick(self, seconds: float) -> None:
        if self.clock is not None and seconds:
            self.clock.advance(seconds)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        outcome = self._next(request)
        number = len(self.received)
        if isinstance(outcome, FluentAIError):
            raise outcome
        yield ResponseStart(id=f"{self.name}-{number}", model=request.model, provider=self.provider)
        if isinstance(outcome, Broken):
            for _ in range(outcome.sent):
                yield TextDelta("part")
            raise outcome.error
        self._tick(outcome.takes)
        yield TextDelta(outcome.text)
        self._tick(outcome.then)
        yield UsageUpdate(Usage(input_tokens=3, output_tokens=1))
        yield Finish(FinishReason.STOP, "stop")

    async def complete(self, request: ChatRequest) -> ChatResponse:
        events = [event async for event in self.stream(request)]
        return collect_events(events)

    async def aclose(self) -> None:
        self.closed += 1

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def deployment(model: FakeModel, spec: str = "openai/gpt-4o-mini", **options: object) -> Deployment:
    """A deployment named after ``model`` that sends to it."""
    return Deployment(spec, name=model.name, chat_model=model, **options)  # type: ignore[arg-type]
