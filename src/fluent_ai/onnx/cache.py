"""Where built graphs are kept, and how they are written without ever being half there.

A cache entry is a directory named after the model and a digest of everything that
decides its content: the SHA-256 of the weight files it was built from and the version of
the builder that built it. A change in either is a new directory, so a stale entry is
never read, and a graph built by an older builder is simply built again.

Hashing a 100 MB file takes about a tenth of a second, too long for every start, so a
file's hash is remembered in the cache directory against its path, size, modification
time and inode; an edited or replaced file is hashed afresh.

Entries are written into a temporary sibling directory and renamed into place; the
rename is atomic, so a directory with the final name is always complete, even when two
processes build at once or one is killed mid-write.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from fluent_ai._dirs import cache_dir
from fluent_ai.types.errors import LocalModelError

logger = logging.getLogger(__name__)
T = TypeVar("T")

_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    """``$FLUENT_AI_CACHE_DIR/models`` when that variable is set (the root of all of
    fluent-ai's caches), else ``$XDG_CACHE_HOME/fluent-ai/models``, else
    ``~/.cache/fluent-ai/models``."""
    return cache_dir("models")


def file_digest(path: Path, cache_dir: Path) -> str:
    """The SHA-256 of ``path``'s content, remembered in ``cache_dir`` between runs."""
    stat = path.stat()
    identity = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"
    memo = cache_dir / ".digests" / (hashlib.sha256(identity.encode()).hexdigest()[:32] + ".json")
    remembered = _remembered(memo, identity)
    if remembered is not None:
        return remembered
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    sha = digest.hexdigest()
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        staging = memo.with_suffix(f".{os.getpid()}.tmp")
        staging.write_text(json.dumps({"identity": identity, "sha256": sha}))
        staging.replace(memo)
    except OSError:
        pass  # an unwritable cache only costs the next start one more hash
    return sha


def _remembered(memo: Path, identity: str) -> str | None:
    """The digest a memo holds for ``identity``; ``None`` when it is absent or unreadable
    (then the file is simply hashed again)."""
    try:
        record = json.loads(memo.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("identity") != identity:
        return None
    sha = record.get("sha256")
    return sha if isinstance(sha, str) else None


def entry_name(name: str, parts: Iterable[str]) -> str:
    """The entry's directory name, e.g. ``smollm2-135m-instruct-3f9a0c1d2e4b``."""
    identity = "|".join(parts)
    return f"{name}-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"


def write_atomically(target: Path, write: Callable[[Path], None]) -> bool:
    """Run ``write(directory)`` into a fresh temporary directory, then move it to ``target``.

    Returns ``False`` when another process finished the same entry first; its copy is
    kept and ours discarded (both are the same build of the same files). The temporary
    directory is removed whatever happens.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        write(staging)
        try:
            staging.rename(target)
        except OSError:
            if target.is_dir():
                return False
            raise
        return True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def open_or_discard(
    entry: Path,
    opener: Callable[[Path], T],
    damaged: tuple[type[Exception], ...],
    *,
    discard_damaged: bool = True,
) -> T | None:
    """``opener(entry)``; ``None`` once an entry it finds damaged has been removed.

    A damaged entry (a disk error, a file deleted or cut short by hand) must not stop a
    model from loading: it is removed, and the caller builds it again. ``damaged`` are
    the errors that mean the entry itself is bad; a lack of memory never does. With
    ``discard_damaged=False`` (an entry just built) the error is raised instead, as a
    :class:`LocalModelError`.
    """
    try:
        return opener(entry)
    except MemoryError:
        raise
    except damaged as exc:
        if not discard_damaged:
            raise LocalModelError(
                f"the graph built in {entry} cannot be opened: {type(exc).__name__}: {exc}",
                provider="local",
            ) from exc
        logger.warning("the cached graph in %s is unreadable (%s); building again", entry, exc)
        try:
            discard(entry)
        except OSError as error:
            logger.warning("could not remove %s: %s", entry, error)
        return None


def discard(entry: Path) -> None:
    """Remove an entry that failed to load, so the next start builds afresh.

    It is renamed aside first, so no other process can see it half-deleted.
    """
    if not entry.exists():
        return
    doomed = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", suffix=".old", dir=entry.parent))
    entry.rename(doomed / entry.name)
    shutil.rmtree(doomed, ignore_errors=True)
