"""One OpenTelemetry SDK tracer provider for the whole test process.

OpenTelemetry lets the global provider be set once per process, so every test module
that reads spans shares this one in-memory exporter: install it, clear it, read it.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

EXPORTER = InMemorySpanExporter()
_installed = False


def install() -> InMemorySpanExporter:
    """The shared exporter, its provider set as the global one on the first call."""
    global _installed
    if not _installed:
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)
        _installed = True
    return EXPORTER
