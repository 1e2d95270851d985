"""``fluent-ai models sync`` as a function: fetch a catalogue, regenerate what changed.

Each catalogue is synced on its own into ``<root>/<name>/`` (the user cache by
default, see :mod:`fluent_ai.models.store`). The first sync of a directory starts from
a copy of the shipped data, so the change set says what differs from what the registry
used until now, and only the providers that changed are rewritten. The manifest is
written last: a sync that fails half-way leaves a directory the registry ignores.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx

from fluent_ai._sync import run_sync
from fluent_ai.http import DEFAULT_RETRY, RetryPolicy
from fluent_ai.models.catalogues import SOURCES
from fluent_ai.models.download import Download, catalogue_timeouts, fetch_catalogue, read_file
from fluent_ai.models.errors import CatalogueError
from fluent_ai.models.regenerate import Regeneration, regenerate
from fluent_ai.models.store import PACKAGE_DIR, synced_directory, user_root, write_manifest


@dataclass(frozen=True, slots=True)
class SyncReport:
    """How one catalogue was obtained and what regenerating from it changed."""

    source: str
    download: Download
    regeneration: Regeneration
    directory: Path
    dry_run: bool


def sync(
    source: str,
    *,
    url: str | None = None,
    from_file: Path | None = None,
    root: Path | None = None,
    downloads: Path | None = None,
    dry_run: bool = False,
    timeout: float = 30.0,
    retry: RetryPolicy | None = DEFAULT_RETRY,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SyncReport:
    """Bring ``source``'s generated data under ``root`` up to date with the catalogue at
    ``url`` (default: where ``source`` is published) or in the local file ``from_file``.

    Downloads are cached in ``downloads`` (default ``<root>/downloads``). Raises
    :class:`~fluent_ai.models.errors.CatalogueError` when the catalogue cannot be
    obtained or is malformed; the data on disk is then left as it was.
    """
    catalogue_source = SOURCES.get(source)
    if catalogue_source is None:
        raise CatalogueError(f"unknown catalogue {source!r}; known: {', '.join(SOURCES)}")
    if url is not None and from_file is not None:
        raise CatalogueError("give a URL or a file to sync from, not both")
    root = root or user_root()
    if from_file is not None:
        download = read_file(from_file)
    else:
        download = run_sync(
            fetch_catalogue(
                url or catalogue_source.url,
                cache_dir=downloads or root / "downloads",
                timeouts=catalogue_timeouts(timeout),
                retry=retry,
                transport=transport,
            )
        )
    catalogue = catalogue_source.parse(download.text)
    directory = root / source
    baseline = _baseline(source, directory, root)
    if dry_run:
        regeneration = regenerate(catalogue, baseline, source=source, dry_run=True)
        return SyncReport(source, download, regeneration, directory, dry_run)
    if baseline != directory:
        _seed(baseline, directory)
    regeneration = regenerate(catalogue, directory, source=source)
    if not _is_shipped(source, directory):  # the shipped data's text stays reproducible
        write_manifest(directory, download.location, download.etag)
    return SyncReport(source, download, regeneration, directory, dry_run)


def _baseline(source: str, directory: Path, root: Path) -> Path:
    """The data the change set is measured against: the synced directory when this
    version synced it, else the shipped data."""
    if _is_shipped(source, directory) or synced_directory(source, root) is not None:
        return directory
    return PACKAGE_DIR / source


def _is_shipped(source: str, directory: Path) -> bool:
    """Whether ``directory`` is the package's own data (a developer regenerating it)."""
    return directory.resolve() == (PACKAGE_DIR / source).resolve()


def _seed(shipped: Path, directory: Path) -> None:
    """Start ``directory`` as a copy of the shipped modules (anything else there goes)."""
    try:
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        for module in shipped.glob("*.py"):
            shutil.copyfile(module, directory / module.name)
    except OSError as exc:
        raise CatalogueError(f"could not prepare {directory} for the synced data: {exc}") from exc
