"""``fluent-ai config``: set, get, list and unset the settings the CLI starts from.

The file, its keys and why API keys are refused are described in
:mod:`fluent_ai.cli.settings`; this module is only the commands over it.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from fluent_ai.cli.errors import CLIError
from fluent_ai.cli.inputs import argument
from fluent_ai.cli.settings import (
    KNOWN,
    config_path,
    parse,
    read,
    settings,
    to_toml,
    value_of,
    write,
)
from fluent_ai.providers.catalog import DEFAULT_MODEL

app = typer.Typer(
    name="config",
    help="Defaults for the CLI: model, aliases, temperature, max tokens, system prompt.",
    no_args_is_help=True,
)

Key = Annotated[str, typer.Argument(help=f"One of {KNOWN}.")]


@app.command("set")
def set_setting(key: Key, value: Annotated[str, typer.Argument(help="The value.")]) -> None:
    """Set KEY to VALUE in the config file (API keys are refused: use the environment)."""
    where = parse(key)
    converted = value_of(key, argument(value, "the value"))
    path = config_path()
    table = read(path)
    if key == "default_model":
        _check_model(converted, table.get("aliases") or {})
    elif where[0] == "aliases":
        _check_model(converted, {})
    if len(where) == 2:
        table.setdefault("aliases", {})[where[1]] = converted
    else:
        table[key] = converted
    settings(table, path)  # the rest of the file must be sound too before it is rewritten
    write(table, path)
    typer.echo(f"set {key} in {path}")


@app.command("get")
def get_setting(key: Key) -> None:
    """Print the value of KEY (exit status 1 when it is not set)."""
    where = parse(key)
    path = config_path()
    table = read(path)
    settings(table, path)
    found: Any = table
    for step in where:
        found = found.get(step) if isinstance(found, dict) else None
    if found is None:
        default = f" (the built-in default is {DEFAULT_MODEL})" if key == "default_model" else ""
        raise CLIError(
            f"{key} is not set in {path}{default}",
            hint=f"set it with fluent-ai config set {key} VALUE",
        )
    typer.echo(found)


@app.command("list")
def list_settings(
    json_output: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Print every setting in the config file."""
    path = config_path()
    table = read(path)
    settings(table, path)
    if json_output:
        typer.echo(json.dumps(table, ensure_ascii=False, indent=2))
        return
    if not table:
        typer.echo(
            f"nothing is set in {path} (try: fluent-ai config set default_model "
            "openai/gpt-4o-mini)",
            err=True,
        )
        return
    body = [line for line in to_toml(table).splitlines() if not line.startswith("#")]
    typer.echo("\n".join(body))


@app.command("unset")
def unset_setting(key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> None:
    """Remove KEY from the config file (any key that is there, even one it refuses)."""
    path = config_path()
    table = read(path)
    group, dot, name = key.partition(".")
    holder = table.get(group) if dot else table
    if not isinstance(holder, dict) or (name if dot else key) not in holder:
        raise CLIError(f"{key} is not set in {path}", hint="fluent-ai config list shows what is")
    del holder[name if dot else key]
    if dot and not holder:
        del table[group]
    write(table, path)
    typer.echo(f"unset {key} in {path}")


@app.command("path")
def show_path() -> None:
    """Print where the config file is (FLUENT_AI_CONFIG_DIR moves it)."""
    typer.echo(config_path())


def _check_model(spec: str, aliases: dict[str, str]) -> None:
    """Refuse a model the CLI could never start, when it is set rather than when used."""
    if spec in aliases or spec.startswith("router:"):  # a router is checked when opened
        return
    from fluent_ai.providers.catalog import provider_names, split_model

    provider, _ = split_model(spec)
    known = provider_names()
    if provider not in known:
        raise CLIError(
            f"unknown provider {provider!r} in {spec!r}",
            hint=f"known providers: {', '.join(known)}",
        )
