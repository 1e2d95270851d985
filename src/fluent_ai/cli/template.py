"""``fluent-ai template``: check prompt templates before an agent loads them.

``check`` compiles each file with the engine its extension names (``.j2``/``.jinja``,
``.liquid``, ``.hbs``/``.handlebars``, or ``--engine``) and prints each error as
``FILE:LINE:COLUMN: message``, the form editors and CI annotations understand.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fluent_ai.templates import PromptTemplate, TemplateError, engine_for_path
from fluent_ai.types.errors import ConfigurationError

app = typer.Typer(name="template", no_args_is_help=True)


@app.callback()
def template() -> None:
    """Check prompt templates (Jinja, Liquid, Handlebars)."""
    # A callback keeps ``check`` a subcommand even while it is the group's only one.


class EngineName(StrEnum):
    """The engines ``--engine`` accepts (typer needs an enum for a choice)."""

    jinja = "jinja"
    liquid = "liquid"
    handlebars = "handlebars"


@app.command("check")
def check(
    files: Annotated[
        list[Path],
        typer.Argument(help="Template files.", exists=True, dir_okay=False, readable=True),
    ],
    engine: Annotated[
        EngineName | None,
        typer.Option("--engine", "-e", help="Engine for every file, instead of its extension."),
    ] = None,
) -> None:
    """Compile each template; report errors with line and column, exit 1 if any."""
    failed = False
    for path in files:
        try:
            name = engine.value if engine else engine_for_path(path)
            PromptTemplate.from_file(path, name).compile()
        except TemplateError as error:
            typer.echo(f"{error.location}: {error.detail} ({error.engine})", err=True)
            failed = True
        except ConfigurationError as error:
            typer.echo(str(error), err=True)
            failed = True
        except UnicodeDecodeError as error:
            typer.echo(f"{path}: not UTF-8 text ({error.reason})", err=True)
            failed = True
        else:
            typer.echo(f"{path}: ok ({name})")
    if failed:
        raise typer.Exit(1)
