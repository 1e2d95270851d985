"""The ``fluent-ai`` command line: a thin layer over the library (layer 5)."""

from fluent_ai.cli.app import app, main

__all__ = ["app", "main"]
