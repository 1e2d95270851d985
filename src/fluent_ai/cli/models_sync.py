"""``fluent-ai models sync``: bring each model catalogue up to date and show what changed."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from fluent_ai.models import CatalogueError

if TYPE_CHECKING:  # the sync machinery (HTTP client, parsers) loads only when syncing
    from fluent_ai.models.sync import SyncReport


class CatalogueName(StrEnum):
    """The catalogues ``--catalogue`` accepts (see ``fluent_ai.models.catalogues``)."""

    litellm = "litellm"
    aichat = "aichat"


_BY_SUFFIX = {".json": "litellm", ".yaml": "aichat", ".yml": "aichat"}
"""A file or URL's catalogue, told by its suffix when ``--catalogue`` is not given."""


def sync(
    catalogue: Annotated[
        list[CatalogueName] | None,
        typer.Option(
            "--catalogue", "-c", help="Only this catalogue (repeatable; default: every one)."
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Fetch this URL instead of where the catalogue lives.")
    ] = None,
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Read the catalogue from this file instead.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report; write nothing.")] = False,
    output: Annotated[
        Path | None,
        typer.Option(help="Where the generated data goes (default: the user cache directory)."),
    ] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Where downloads are cached.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server.")] = 30.0,
) -> None:
    """Fetch the model catalogues (cheaply, if unchanged) and regenerate what changed."""
    from fluent_ai.models.sync import sync as run_sync

    names = _catalogues(catalogue, url, from_file)
    console = Console(highlight=False)
    failed = False
    for name in names:
        try:
            report = run_sync(
                name,
                url=url,
                from_file=from_file,
                root=output,
                downloads=cache_dir,
                dry_run=dry_run,
                timeout=timeout,
            )
        except CatalogueError as exc:
            Console(stderr=True).print(f"error: {name}: {exc}", highlight=False, markup=False)
            failed = True
            continue
        _print_report(console, report)
    if failed:
        raise typer.Exit(1)


def _catalogues(
    chosen: list[CatalogueName] | None, url: str | None, file: Path | None
) -> list[str]:
    """Which catalogues to sync; a URL or a file stands for exactly one."""
    names = [name.value for name in chosen or []]
    source = url if url is not None else str(file) if file is not None else None
    if source is None:
        return names or [name.value for name in CatalogueName]
    if len(names) > 1:
        _fail("--url and --from fetch one catalogue: give at most one --catalogue")
    if names:
        return names
    suffix = Path(source.split("?")[0]).suffix.lower()
    if suffix not in _BY_SUFFIX:
        _fail(f"cannot tell which catalogue {source} is: add --catalogue litellm or aichat")
    return [_BY_SUFFIX[suffix]]


def _print_report(console: Console, report: SyncReport) -> None:
    download = report.download
    name = report.source
    if download.source == "downloaded":
        console.print(f"{name}: downloaded {download.location} (ETag {download.etag or 'none'}).")
    elif download.source == "not-modified":
        console.print(f"{name}: unchanged upstream (HTTP 304); using the cached copy.")
    elif download.source == "file":
        console.print(f"{name}: read {download.location}.")
    else:
        console.print(f"{name}: download failed ({download.error}); using the cached copy.")
    regeneration = report.regeneration
    changes = regeneration.changes
    if changes:
        table = Table("Change", "Model", "Kind", "Fields")
        for change in changes:
            fields = "; ".join(f"{f.field}: {f.old!r} → {f.new!r}" for f in change.fields)
            table.add_row(change.action, change.id, change.kind, fields)
        console.print(table)
    console.print(
        f"{name}: {len(changes.added)} added, {len(changes.modified)} modified, "
        f"{len(changes.removed)} removed."
    )
    if regeneration.full:
        console.print("Full regeneration, because:")
        for reason in regeneration.reasons:
            console.print(f"  {reason}")
    verb = "Would write" if report.dry_run else "Wrote"
    written = ", ".join(regeneration.written) or "nothing"
    console.print(f"{verb} {written} in {report.directory}.")
    if regeneration.deletes:
        verb = "Would delete" if report.dry_run else "Deleted"
        console.print(f"{verb} {', '.join(regeneration.deletes)}.")


def _fail(message: str) -> NoReturn:
    Console(stderr=True).print(f"error: {message}", highlight=False, markup=False)
    raise typer.Exit(1)
