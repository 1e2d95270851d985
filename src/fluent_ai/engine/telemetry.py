"""OpenTelemetry spans for model calls, after the GenAI semantic conventions.

Each call is a ``CLIENT`` span named ``chat {gen_ai.request.model}`` with the
``gen_ai.*`` attributes of the conventions' inference span: the operation, the provider
(``gen_ai.provider.name``, and ``gen_ai.system``, its name before semantic conventions
1.37, for back ends that still read it), the request's model and settings, the response's
model, id and finish reasons, the token usage, and ``error.type`` when it failed. The
call's cost and router deployment, which the conventions have no name for, are
``fluent_ai.*`` attributes. Prompts and answers are never put on spans: that is the
call log's job, on the user's own disk.

``opentelemetry-api`` is an optional dependency (the ``otel`` extra). Whether it is
installed is looked up once, on the first call, and without it nothing of it is ever
imported: a call then costs one function call here. With the API but no SDK (or an SDK
that samples the call out), spans are non-recording and nothing is attached per event.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

from fluent_ai.engine.observe_events import CallEnd, CallStart

if TYPE_CHECKING:
    from opentelemetry.context import Context
    from opentelemetry.trace import Tracer

TRACER_NAME = "fluent_ai"

PROVIDER_NAMES = {
    "azure": "azure.ai.openai",
    "bedrock": "aws.bedrock",
    "deepseek-responses": "deepseek",
    "gemini-openai": "gcp.gemini",
    "google": "gcp.gemini",
    "google-vertex": "gcp.vertex_ai",
    "mistral": "mistral_ai",
    "openai-responses": "openai",
    "openrouter-responses": "openrouter",
    "xai": "x_ai",
}
"""fluent-ai's provider names that the conventions spell otherwise (their well-known
values of ``gen_ai.provider.name``); any other name is used as it is."""

_tracer: Tracer | None = None
_checked = False
_api: Any = None  # opentelemetry.trace and opentelemetry.context, once imported
_context: Any = None


def tracer() -> Tracer | None:
    """The ``fluent_ai`` tracer, or ``None`` when ``opentelemetry-api`` is not installed.

    A proxy tracer: it follows the tracer provider the application sets, even after this.
    """
    global _tracer, _checked, _api, _context
    if not _checked:
        _checked = True
        if importlib.util.find_spec("opentelemetry") is not None:
            from opentelemetry import context, trace

            _api, _context = trace, context
            _tracer = trace.get_tracer(TRACER_NAME)
    return _tracer


def provider_name(provider: str) -> str:
    return PROVIDER_NAMES.get(provider, provider)


class CallSpan:
    """The span of one call: made current around each step into the model (so a wrapped
    router's attempts are its children), then ended with the call's outcome."""

    __slots__ = ("_context", "_span")

    def __init__(self, span: Any, context: Context) -> None:
        self._span = span
        self._context = context

    def attach(self) -> object:
        return _context.attach(self._context)

    @staticmethod
    def detach(token: object) -> None:
        _context.detach(token)

    def end(self, event: CallEnd) -> None:
        span = self._span
        if span.is_recording():
            span.set_attributes(_end_attributes(event))
            if event.outcome == "error":
                span.set_status(_api.Status(_api.StatusCode.ERROR, _describe(event.error)))
        span.end()


def start_span(event: CallStart) -> CallSpan | None:
    """The span for the call ``event`` starts, or ``None`` when no one is tracing it."""
    found = tracer()
    if found is None:
        return None
    span = found.start_span(
        f"chat {event.model}", kind=_api.SpanKind.CLIENT, attributes=_start_attributes(event)
    )
    if not span.get_span_context().is_valid:  # no SDK: a no-op span
        return None
    return CallSpan(span, _api.set_span_in_context(span))


def _start_attributes(event: CallStart) -> dict[str, Any]:
    request = event.request
    provider = provider_name(event.provider)
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": provider,
        "gen_ai.system": provider,
        "gen_ai.request.model": event.model,
        "gen_ai.request.stream": event.stream,
    }
    for name, value in (
        ("temperature", request.temperature),
        ("max_tokens", request.max_tokens),
        ("top_p", request.top_p),
        ("seed", request.seed),
    ):
        if value is not None:
            attributes[f"gen_ai.request.{name}"] = value
    if request.stop:
        attributes["gen_ai.request.stop_sequences"] = list(request.stop)
    if event.conversation is not None:
        attributes["gen_ai.conversation.id"] = event.conversation
    if event.deployment is not None:
        attributes["fluent_ai.deployment"] = event.deployment
    return attributes


def _end_attributes(event: CallEnd) -> dict[str, Any]:
    usage = event.usage
    attributes: dict[str, Any] = {
        "gen_ai.usage.input_tokens": usage.input_tokens,
        "gen_ai.usage.output_tokens": usage.output_tokens,
    }
    if usage.cache_read_tokens:
        attributes["gen_ai.usage.cache_read.input_tokens"] = usage.cache_read_tokens
    if usage.cache_write_tokens:
        attributes["gen_ai.usage.cache_creation.input_tokens"] = usage.cache_write_tokens
    if event.response_model is not None:
        attributes["gen_ai.response.model"] = event.response_model
    if event.response_id is not None:
        attributes["gen_ai.response.id"] = event.response_id
    if event.finish_reason is not None:
        attributes["gen_ai.response.finish_reasons"] = [event.finish_reason.value]
    if event.first_event is not None:
        attributes["gen_ai.response.time_to_first_chunk"] = event.first_event
    if event.cost_usd is not None:
        attributes["fluent_ai.cost_usd"] = event.cost_usd
    if event.outcome == "error":
        attributes["error.type"] = event.error_type or "_OTHER"
    elif event.outcome == "cancelled":
        attributes["fluent_ai.cancelled"] = True
    return attributes


def _describe(error: BaseException | None) -> str:
    return f"{type(error).__name__}: {error}" if error is not None else "error"


__all__ = ["CallSpan", "provider_name", "start_span", "tracer"]
