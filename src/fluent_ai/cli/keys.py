"""``fluent-ai keys create|list|revoke`` and ``fluent-ai spend``: the gateway's keys.

They work on the key store the gateway file names (``--config``; the default store in
the data directory without one), the same SQLite file or Postgres database the gateway
reads — a running gateway takes a new or revoked key at its next reload
(``keys: {refresh: …}``, 2 s by default). A new key's secret is printed once and never
again.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from fluent_ai.server.key_store import Store

app = typer.Typer(name="keys", help="The gateway's virtual keys.", no_args_is_help=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="The gateway file, for its key store [default store]."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of a table.")]


def _store(config: Path | None) -> Store:
    from fluent_ai.server.key_config import default_store, open_store
    from fluent_ai.server.key_store import KeyStore

    if config is None:
        return KeyStore(default_store())
    from fluent_ai.server.config import read

    return open_store(read(config), str(config))


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="Who or what uses the key.")],
    config: ConfigOption = None,
    models: Annotated[
        str | None, typer.Option("--models", help="Served names it may use, comma-separated.")
    ] = None,
    rpm: Annotated[int | None, typer.Option("--rpm", min=1, help="Requests a minute.")] = None,
    tpm: Annotated[int | None, typer.Option("--tpm", min=1, help="Tokens a minute.")] = None,
    budget: Annotated[float | None, typer.Option("--budget", min=0, help="USD.")] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", help="Lifetime: 30d, 12h, 90m…")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Make a key; its secret is printed this once."""
    from fluent_ai.server.keys import expiry

    allowed = tuple(m.strip() for m in (models or "").split(",") if m.strip())
    store = _store(config)
    try:
        key, secret = store.create(
            name, models=allowed, rpm=rpm, tpm=tpm, budget=budget, expires=expiry(expires)
        )
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps({**key.public(), "key": secret}))
        return
    typer.echo(secret)
    Console(stderr=True).print(
        f"key {key.id} ({key.name}) made; the secret above is shown only now"
    )


@app.command("list")
def list_keys(config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Every key: id, name, prefix, models, limits, budget, spend, expiry, revoked."""
    store = _store(config)
    try:
        keys = [key.public() for key in store.listed()]
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(keys))
        return
    table = Table("id", "name", "prefix", "models", "rpm", "tpm", "budget", "spent", "expires")
    for key in keys:
        table.add_row(
            key["id"] + (" (revoked)" if key["revoked"] else ""),
            key["name"],
            key["prefix"] + "…",
            ", ".join(key["models"]) or "all",
            _or_dash(key["rpm"]),
            _or_dash(key["tpm"]),
            "-" if key["budget"] is None else f"${key['budget']:g}",
            f"${key['spent']:.6f}",
            "-"
            if key["expires"] is None
            else time.strftime("%Y-%m-%d %H:%M", time.localtime(key["expires"])),
        )
    Console().print(table)


@app.command()
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (from keys list).")],
    config: ConfigOption = None,
) -> None:
    """Revoke a key for good."""
    from fluent_ai.cli.errors import CLIError

    store = _store(config)
    try:
        found = store.revoke(key_id)
    finally:
        store.close()
    if not found:
        raise CLIError(f"there is no key {key_id!r}", hint="see fluent-ai keys list")
    typer.echo(f"revoked {key_id}")


def spend(config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """What each gateway key spent, per model."""
    from fluent_ai.server.admin import spend_report

    store = _store(config)
    try:
        report = spend_report(store.spend())
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report))
        return
    table = Table("key", "name", "model", "requests", "input", "output", "USD")
    for row in report["rows"]:
        table.add_row(
            row["key_id"],
            row["name"] or row["key_id"],
            row["model"],
            str(row["requests"]),
            str(row["input_tokens"]),
            str(row["output_tokens"]),
            f"${row['usd']:.6f}",
        )
    total = sum(row["usd"] for row in report["rows"])
    Console().print(table)
    Console().print(f"total ${total:.6f}")


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)
