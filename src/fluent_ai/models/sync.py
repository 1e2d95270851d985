"""``fluent-ai models sync`` as a function: download, parse, regenerate what changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from fluent_ai.models.catalogue import parse_catalogue
from fluent_ai.models.download import DEFAULT_URL, Download, fetch_catalogue
from fluent_ai.models.regenerate import Regeneration, regenerate

GENERATED_DIR = Path(__file__).parent / "_generated"
"""Where the package's own generated modules live, and where sync writes by default."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """How the catalogue was obtained and what regenerating from it changed."""

    download: Download
    regeneration: Regeneration
    directory: Path
    dry_run: bool


def sync(
    url: str = DEFAULT_URL,
    *,
    directory: Path = GENERATED_DIR,
    cache_dir: Path | None = None,
    dry_run: bool = False,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> SyncReport:
    """Bring the generated modules in ``directory`` up to date with the catalogue at ``url``.

    Raises :class:`~fluent_ai.models.errors.CatalogueError` when the catalogue cannot be
    obtained or is malformed; the generated modules are then left as they were.
    """
    download = fetch_catalogue(url, cache_dir=cache_dir, timeout=timeout, transport=transport)
    catalogue = parse_catalogue(download.text)
    regeneration = regenerate(catalogue, directory, dry_run=dry_run)
    return SyncReport(download, regeneration, directory, dry_run)
