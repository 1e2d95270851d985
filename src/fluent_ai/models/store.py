"""Where each catalogue's generated data lives: shipped in the package, or synced.

fluent-ai ships generated modules for every catalogue in ``models/_generated/<name>/``.
``fluent-ai models sync`` never writes there (the package may be read-only, and an
upgrade would silently undo it): it writes into the user cache directory,
``<cache>/models/<name>/`` (``$FLUENT_AI_CACHE_DIR`` first, else the platform's cache
directory), and finishes by writing a manifest saying which fluent-ai version synced
it, from where, and when. The registry uses a synced directory only when its manifest
names the installed version: after an upgrade the newer shipped data wins until the
next sync.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from fluent_ai._dirs import cache_dir
from fluent_ai.models.atomic import atomic_write

PACKAGE_DIR: Final = Path(__file__).parent / "_generated"
"""The shipped data: one sub-package per catalogue."""

MANIFEST: Final = "manifest.json"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a synced directory holds: who synced it, from where, and when."""

    fluent_ai_version: str
    location: str
    etag: str | None
    synced_at: float


def user_root() -> Path:
    """Where ``fluent-ai models sync`` writes: ``<cache>/models``."""
    return cache_dir("models")


def installed_version() -> str:
    """The installed fluent-ai's version, or ``"unknown"`` when run from a bare tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fluent-ai")
    except PackageNotFoundError:
        return "unknown"


def write_manifest(directory: Path, location: str, etag: str | None) -> Manifest:
    """Record in ``directory`` that it was just synced from ``location``."""
    manifest = Manifest(installed_version(), location, etag, time.time())
    atomic_write(directory / MANIFEST, json.dumps(asdict(manifest), indent=1).encode())
    return manifest


def read_manifest(directory: Path) -> Manifest | None:
    """The manifest in ``directory``; a missing or malformed one counts as none."""
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            fluent_ai_version=str(data["fluent_ai_version"]),
            location=str(data["location"]),
            etag=data["etag"] if isinstance(data["etag"], str) else None,
            synced_at=float(data["synced_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def synced_directory(source: str, root: Path | None = None) -> Path | None:
    """``source``'s synced directory under ``root`` (default :func:`user_root`), if it
    was synced by the installed version."""
    directory = (root or user_root()) / source
    manifest = read_manifest(directory)
    if manifest is None or manifest.fluent_ai_version != installed_version():
        return None
    return directory
