"""The root command; each command group lives in its own module."""

from __future__ import annotations

import sys

import typer

from fluent_ai.cli import local, models, template
from fluent_ai.cli.chat import chat
from fluent_ai.cli.embed import embed
from fluent_ai.types import FluentAIError

app = typer.Typer(
    name="fluent-ai",
    help="Chat with any language model, offline by default.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(chat)
app.command()(embed)
app.add_typer(local.app, name="local")
app.add_typer(models.app, name="models")
app.add_typer(template.app, name="template")


def main() -> None:
    """Console entry point: library errors become one clear line and exit status 1."""
    try:
        app()
    except FluentAIError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
