"""``fluent-ai models``: list and show what the registry knows, and sync it with the catalogue."""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Column, Table

from fluent_ai.cli.models_sync import sync
from fluent_ai.models import (
    CAPABILITIES,
    Capability,
    ModelInfo,
    ModelKind,
    UnknownModelError,
    default_registry,
    resolve,
    suggestions,
)
from fluent_ai.models.providers import provider_id
from fluent_ai.types import ConfigurationError

app = typer.Typer(
    name="models",
    help="What each model can do and costs; keep the registry in step with the catalogue.",
    no_args_is_help=True,
)
app.command("sync")(sync)


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
    json_output: Annotated[
        bool, typer.Option("--json", help="A JSON array of models, every field.")
    ] = False,
) -> None:
    """List known models with their limits, prices and capabilities."""
    registry = default_registry()
    if provider is not None:
        provider = provider_id(provider)
        if provider not in registry.providers:
            message = f"unknown provider {provider!r}; known: {', '.join(registry.providers)}"
            if json_output:
                raise ConfigurationError(message)  # main() prints it as one JSON object
            _fail(message)
    wanted: list[Capability] = [feature.value for feature in supports or []]
    models = [
        model
        for model in registry.models(provider, kind=kind)
        if all(model.supports(capability) for capability in wanted)
    ]
    if json_output:
        typer.echo(json.dumps([_json(model) for model in models], indent=2, default=str))
        return
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
    json_output: Annotated[
        bool, typer.Option("--json", help="One JSON object, every field.")
    ] = False,
) -> None:
    """Show everything the registry knows about one model."""
    try:
        model = resolve(name)
    except UnknownModelError as exc:
        if json_output:
            raise  # main() prints it as one JSON object, suggestions as hints
        _fail(str(exc))
    if json_output:
        typer.echo(json.dumps(_json(model), indent=2, default=str))
        return
    table = Table("Field", "Value", "Source", title=model.id)
    for label, value, source in _fields(model):
        table.add_row(label, value, source)
    console = Console()
    console.print(table)
    origins = default_registry().origins
    console.print(
        "Sources: "
        + "; ".join(f"{name} ({origin})" for name, origin in origins.items())
        + "; rule: fluent-ai's own rules; recording: seen in recorded traffic.",
        highlight=False,
    )
    if not model.known:
        close = ", ".join(suggestions(name))
        console.print(f"{model.id} is not in the registry: limits and prices are unknown.")
        console.print(f"Closest known models: {close}")


def _json(model: ModelInfo) -> dict[str, Any]:
    """Every field of ``model``, with its ``provider/name`` id first."""
    return {
        "id": model.id,
        **dataclasses.asdict(model),
        "provenance": dict(model.provenance),
    }


def _fields(model: ModelInfo) -> list[tuple[str, str, str]]:
    """``(label, value, where the value came from)`` for every field."""
    rows = [
        ("Provider", model.provider, ""),
        ("Name", model.name, ""),
        ("API name", model.api_name, "api_name"),
        ("Kind", model.kind, ""),
        ("Aliases", ", ".join(model.aliases) or "—", ""),
        ("Max input tokens", _tokens(model.max_input_tokens), "max_input_tokens"),
        ("Max output tokens", _tokens(model.max_output_tokens), "max_output_tokens"),
        ("Input $/M tokens", _price(model.input_price), "input_price"),
        ("Output $/M tokens", _price(model.output_price), "output_price"),
        ("Cached input $/M tokens", _price(model.cached_input_price), "cached_input_price"),
        ("Cache write $/M tokens", _price(model.cache_write_price), "cache_write_price"),
        *(
            (f"Supports {c.replace('_', ' ')}", _yes(model.supports(c)), f"supports_{c}")
            for c in CAPABILITIES
        ),
        ("Thinking budget", _tokens(model.thinking_budget), "thinking_budget"),
        ("Embedding dimensions", _tokens(model.embedding_dimensions), "embedding_dimensions"),
        ("Max batch size", _tokens(model.max_batch_size), "max_batch_size"),
        ("Max tokens per text", _tokens(model.max_tokens_per_text), "max_tokens_per_text"),
        ("Deprecation date", model.deprecation_date or "—", "deprecation_date"),
        ("Known", _yes(model.known), ""),
    ]
    return [(label, value, _source(model, field)) for label, value, field in rows]


def _source(model: ModelInfo, field: str) -> str:
    if not field:
        return ""
    if field == "supports_streaming":
        return "rule" if model.known else ""
    return model.source(field) or ""


def _tokens(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _price(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _fail(message: str) -> NoReturn:
    Console(stderr=True).print(f"error: {message}", highlight=False, markup=False)
    raise typer.Exit(1)
