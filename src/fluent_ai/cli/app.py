"""The root command; each command group lives in its own module.

Shell completion is typer's own (``--install-completion``, ``--show-completion``): it
completes commands, options and choices from the same definitions that parse them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from fluent_ai.cli import config, keys, local, logs, memory, models, template
from fluent_ai.cli.chat import chat
from fluent_ai.cli.embed import embed
from fluent_ai.cli.errors import run
from fluent_ai.cli.keys import spend
from fluent_ai.cli.serve import serve

app = typer.Typer(
    name="fluent-ai",
    help="Chat with any language model, offline by default.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)
app.command()(chat)
app.command()(embed)
app.command()(serve)
app.command()(spend)
app.add_typer(config.app, name="config")
app.add_typer(keys.app, name="keys")
app.add_typer(local.app, name="local")
app.add_typer(logs.app, name="logs")
app.add_typer(memory.app, name="memory")
app.add_typer(models.app, name="models")
app.add_typer(template.app, name="template")


def installed_version() -> str:
    """The installed distribution's version: what ``pip`` and bug reports go by."""
    from importlib.metadata import PackageNotFoundError, version  # 40 ms: only for --version

    try:
        return version("fluent-ai")
    except PackageNotFoundError:
        # Run from a source tree that was never installed: the package's own number.
        from fluent_ai import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"fluent-ai {installed_version()}")
        raise typer.Exit()


@app.callback()
def root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Chat with any language model, offline by default."""


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: errors become one clear line (one JSON object with
    ``--json``) and exit status 1; Ctrl-C exits with 130."""
    run(app, sys.argv[1:] if argv is None else argv, prog_name="fluent-ai")
