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
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from fluent_ai._cache_dir import cache_dir

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
    try:
        record = json.loads(memo.read_text())
        if record.get("identity") == identity:
            return str(record["sha256"])
    except (OSError, ValueError, KeyError):
        pass
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


def discard(entry: Path) -> None:
    """Remove an entry that failed to load, so the next start builds afresh.

    It is renamed aside first, so no other process can see it half-deleted.
    """
    if not entry.exists():
        return
    doomed = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", suffix=".old", dir=entry.parent))
    entry.rename(doomed / entry.name)
    shutil.rmtree(doomed, ignore_errors=True)
