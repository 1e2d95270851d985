"""``fluent-ai models``: list and show what the registry knows, and sync it with the catalogue."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Column, Table

from fluent_ai.models import (
    CAPABILITIES,
    Capability,
    CatalogueError,
    ModelInfo,
    ModelKind,
    UnknownModelError,
    default_registry,
    resolve,
    suggestions,
)
from fluent_ai.models.providers import provider_id

app = typer.Typer(
    name="models",
    help="What each model can do and costs; keep the registry in step with the catalogue.",
    no_args_is_help=True,
)


class Feature(StrEnum):
    """The capabilities ``--supports`` accepts (typer needs an enum for repeated choices)."""

    vision = "vision"
    tools = "tools"
    json_schema = "json_schema"
    thinking = "thinking"
    streaming = "streaming"


_SHORT: dict[Capability, str] = {
    "vision": "vision",
    "tools": "tools",
    "json_schema": "json",
    "thinking": "think",
    "streaming": "stream",
}


@app.command("list")
def list_models(
    provider: Annotated[
        str | None, typer.Option("--provider", "-p", help="Only this provider's models.")
    ] = None,
    supports: Annotated[
        list[Feature] | None,
        typer.Option("--supports", "-s", help="Only models with this capability (repeatable)."),
    ] = None,
    kind: Annotated[ModelKind | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
) -> None:
    """List known models with their limits, prices and capabilities."""
    registry = default_registry()
    if provider is not None:
        provider = provider_id(provider)
        if provider not in registry.providers:
            _fail(f"unknown provider {provider!r}; known: {', '.join(registry.providers)}")
    wanted: list[Capability] = [feature.value for feature in supports or []]
    models = [
        model
        for model in registry.models(provider, kind=kind)
        if all(model.supports(capability) for capability in wanted)
    ]
    table = Table(
        Column("Model", overflow="fold"),
        "Kind",
        Column("Context", justify="right"),
        Column("Output", justify="right"),
        Column("In", justify="right"),
        Column("Out", justify="right"),
        Column("Cached", justify="right"),
        "Supports",
        caption="Prices in USD per million tokens.",
    )
    for model in models:
        table.add_row(
            model.id,
            model.kind,
            _tokens(model.max_input_tokens),
            _tokens(model.max_output_tokens),
            _price(model.input_price),
            _price(model.output_price),
            _price(model.cached_input_price),
            " ".join(_SHORT[c] for c in CAPABILITIES if model.supports(c)),
        )
    console = Console()
    console.print(table)
    console.print(f"{len(models)} model{'' if len(models) == 1 else 's'}")


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="provider/model, or a bare model name.")],
) -> None:
    """Show everything the registry knows about one model."""
    try:
        model = resolve(name)
    except UnknownModelError as exc:
        _fail(str(exc))
    table = Table("Field", "Value", title=model.id)
    for label, value in _fields(model):
        table.add_row(label, value)
    console = Console()
    console.print(table)
    if not model.known:
        close = ", ".join(suggestions(name))
        console.print(f"{model.id} is not in the registry: limits and prices are unknown.")
        console.print(f"Closest known models: {close}")


@app.command("sync")
def sync(
    url: Annotated[str | None, typer.Option(help="Catalogue URL (default: aichat's).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report; write nothing.")] = False,
    output: Annotated[
        Path | None, typer.Option(help="Directory of generated modules (default: the package's).")
    ] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Where the download is cached.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server.")] = 30.0,
) -> None:
    """Download the catalogue (cheaply, if unchanged) and regenerate what changed."""
    from fluent_ai.models.download import DEFAULT_URL
    from fluent_ai.models.sync import GENERATED_DIR
    from fluent_ai.models.sync import sync as run_sync

    try:
        report = run_sync(
            url or DEFAULT_URL,
            directory=output or GENERATED_DIR,
            cache_dir=cache_dir,
            dry_run=dry_run,
            timeout=timeout,
        )
    except CatalogueError as exc:
        _fail(str(exc))
    console = Console()
    download = report.download
    if download.source == "downloaded":
        console.print(f"Downloaded the catalogue (ETag {download.etag or 'none'}).")
    elif download.source == "not-modified":
        console.print("The catalogue has not changed (HTTP 304); using the cached copy.")
    else:
        console.print(f"Download failed ({download.error}); using the cached copy.")

    regeneration = report.regeneration
    changes = regeneration.changes
    if changes:
        table = Table("Change", "Model", "Kind", "Fields")
        for change in changes:
            fields = "; ".join(f"{f.field}: {f.old!r} → {f.new!r}" for f in change.fields)
            table.add_row(change.action, change.id, change.kind, fields)
        console.print(table)
    console.print(
        f"{len(changes.added)} added, {len(changes.modified)} modified, "
        f"{len(changes.removed)} removed."
    )
    if regeneration.full:
        console.print("Full regeneration, because:")
        for reason in regeneration.reasons:
            console.print(f"  {reason}")
    verb = "Would write" if dry_run else "Wrote"
    written = ", ".join(regeneration.written) or "nothing"
    console.print(f"{verb} {written} in {report.directory}.")
    if regeneration.deletes:
        verb = "Would delete" if dry_run else "Deleted"
        console.print(f"{verb} {', '.join(regeneration.deletes)}.")


def _fields(model: ModelInfo) -> list[tuple[str, str]]:
    return [
        ("Provider", model.provider),
        ("Name", model.name),
        ("API name", model.api_name),
        ("Kind", model.kind),
        ("Aliases", ", ".join(model.aliases) or "—"),
        ("Max input tokens", _tokens(model.max_input_tokens)),
        ("Max output tokens", _tokens(model.max_output_tokens)),
        ("Input $/M tokens", _price(model.input_price)),
        ("Output $/M tokens", _price(model.output_price)),
        ("Cached input $/M tokens", _price(model.cached_input_price)),
        ("Cache write $/M tokens", _price(model.cache_write_price)),
        *((f"Supports {c.replace('_', ' ')}", _yes(model.supports(c))) for c in CAPABILITIES),
        ("Thinking budget", _tokens(model.thinking_budget)),
        ("Embedding dimensions", _tokens(model.embedding_dimensions)),
        ("Max batch size", _tokens(model.max_batch_size)),
        ("Max tokens per text", _tokens(model.max_tokens_per_text)),
        ("Known", _yes(model.known)),
    ]


def _tokens(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _price(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _fail(message: str) -> NoReturn:
    Console(stderr=True).print(f"error: {message}", highlight=False, markup=False)
    raise typer.Exit(1)
