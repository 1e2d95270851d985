"""Watch every call a chat model makes: events, metrics, OpenTelemetry spans, a call log.

:class:`Observed` wraps any chat model (a provider's, the local model, a cache, a
router) and is one itself. For every ``complete`` and ``stream`` call it:

* emits a :class:`~fluent_ai.engine.observe_events.CallStart` and exactly one
  :class:`~fluent_ai.engine.observe_events.CallEnd` (usage, cost, latency, time to first
  event, finish reason, or the error's type) to ``on_event``;
* adds the call to its :class:`~fluent_ai.engine.observe_metrics.Metrics`
  (``observed.metrics()``);
* opens a GenAI span when OpenTelemetry is installed (:mod:`fluent_ai.engine.telemetry`);
* hands the finished call to ``log`` (a :class:`~fluent_ai.engine.calllog.CallLog`),
  which writes it off the event loop.

Watching never changes the call: the same events and errors pass through, a broken
stream is recorded and its error re-raised, and a callback that raises is logged (the
``fluent_ai.engine`` logger) and ignored, since the call it reports has happened.
A :class:`~fluent_ai.engine.Router` given ``on_event`` or ``log`` wraps each deployment's
model in one, so every attempt, failed-over ones included, is an event and a span;
wrapped around the router, an ``Observed`` gives the whole call's span, their parent.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import TypeVar

from fluent_ai._closing import Closeable
from fluent_ai.engine.calllog import CallLog
from fluent_ai.engine.observe_events import CallEnd, CallEvent, CallStart, EventCallback, Outcome
from fluent_ai.engine.observe_metrics import CallStats, Metrics
from fluent_ai.engine.telemetry import CallSpan, start_span
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.pricing import cost_usd
from fluent_ai.types import ChatRequest, ChatResponse, StreamAccumulator, StreamEvent, Usage

logger = logging.getLogger("fluent_ai.engine")

_M = TypeVar("_M")


class Observed(Closeable):
    """``model``, with every call reported; see the module docstring.

    ``name`` names the deployment (a router passes its deployment's name), which keys the
    metrics and is written in the events, spans and log; without it, figures are kept
    per ``provider/model``. ``conversation`` is written in every event and log row (the
    CLI gives each chat session its own). It owns ``model`` (closing it closes
    ``model``), never ``log``, which may be shared: close that yourself.
    """

    def __init__(
        self,
        model: ChatModel,
        *,
        on_event: EventCallback | None = None,
        log: CallLog | None = None,
        name: str | None = None,
        conversation: str | None = None,
    ) -> None:
        self.model = model
        self.provider = model.provider
        self.name = name
        self.conversation = conversation
        self.on_event = on_event
        self.log = log
        self._metrics = Metrics()

    def __repr__(self) -> str:
        return f"Observed({self.model!r}, name={self.name!r})"

    def metrics(self) -> dict[str, CallStats]:
        """The figures of the calls made through this wrapper, per model or deployment."""
        return self._metrics.snapshot()

    async def complete(self, request: ChatRequest) -> ChatResponse:
        start, span = self._start(request, stream=False)
        token = span.attach() if span is not None else None
        began = time.perf_counter()
        try:
            response = await self.model.complete(request)
        except BaseException as error:
            self._end(start, span, began, None, None, error)
            raise
        finally:
            if token is not None:
                CallSpan.detach(token)
        self._end(start, span, began, None, response, None)
        return response

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        start, span = self._start(request, stream=True)
        began = time.perf_counter()
        first: float | None = None
        answer = StreamAccumulator()
        try:
            async with aclosing(self.model.stream(request)) as events:
                if span is None:
                    async for event in events:
                        if first is None:
                            first = time.perf_counter() - began
                        answer.add(event)
                        yield event
                else:
                    while True:
                        token = span.attach()  # the model's own calls are this span's children
                        try:
                            event = await anext(events)
                        except StopAsyncIteration:
                            break
                        finally:
                            CallSpan.detach(token)
                        if first is None:
                            first = time.perf_counter() - began
                        answer.add(event)
                        yield event
        except BaseException as error:
            self._end(start, span, began, first, _partial(answer, first), error)
            raise
        self._end(start, span, began, first, answer.response(), None)

    def _start(self, request: ChatRequest, *, stream: bool) -> tuple[CallStart, CallSpan | None]:
        event = CallStart(
            id=uuid.uuid4().hex,
            time=time.time(),
            model=request.model,
            provider=self.provider,
            deployment=self.name,
            stream=stream,
            request=request,
            conversation=self.conversation,
        )
        self._emit(event)
        return event, start_span(event)

    def _end(
        self,
        start: CallStart,
        span: CallSpan | None,
        began: float,
        first: float | None,
        response: ChatResponse | None,
        error: BaseException | None,
    ) -> None:
        outcome: Outcome = "ok"
        if error is not None:
            outcome = "error" if isinstance(error, Exception) else "cancelled"
        usage = response.usage if response is not None else None
        cost = response.cost_usd if response is not None else None
        if cost is None and usage is not None and usage.total_tokens:
            cost = cost_usd(self.provider, start.model, usage)
        event = CallEnd(
            id=start.id,
            time=time.time(),
            model=start.model,
            provider=start.provider,
            deployment=start.deployment,
            stream=start.stream,
            request=start.request,
            outcome=outcome,
            latency=time.perf_counter() - began,
            first_event=first,
            response=response,
            cost_usd=cost,
            finish_reason=response.finish_reason if response is not None else None,
            error_type=type(error).__name__ if outcome == "error" else None,
            error=error,
            conversation=start.conversation,
            usage=usage if usage is not None else Usage(),
        )
        if span is not None:
            span.end(event)
        self._emit(event)
        if self.log is not None:
            self.log.record(event)

    def _emit(self, event: CallEvent) -> None:
        self._metrics.add(event)
        callback = self.on_event
        if callback is None:
            return
        try:
            callback(event)
        except Exception:  # the call goes on: a broken callback must not break it
            logger.warning(
                "the on_event callback failed on a %s event", type(event).__name__, exc_info=True
            )

    async def aclose(self) -> None:
        """Close ``model`` (the log stays open: it may be shared)."""
        await self.model.aclose()


def innermost(model: _M) -> _M | ChatModel:
    """The model inside any :class:`Observed` wrappers around ``model`` (``model`` itself
    when it is not one): what a wrapped model really is, for code that must look through
    the watching, such as finding a vendor's batch API or a router's prices."""
    inner: _M | ChatModel = model
    while isinstance(inner, Observed):
        inner = inner.model
    return inner


def _partial(answer: StreamAccumulator, first: float | None) -> ChatResponse | None:
    """As much of a broken stream's answer as arrived, or ``None`` when nothing did."""
    return answer.response() if first is not None else None


__all__ = ["Observed"]
