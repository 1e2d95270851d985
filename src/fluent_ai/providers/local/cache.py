"""Where converted models are kept, and how they are written without ever being half there.

Dequantizing a GGUF file takes seconds of CPU every start; the converted weights
(safetensors) and tokenizer load several times faster, so they are kept on disk.

A cache entry is a directory named after the model and a digest of everything that
decides its content: the GGUF file's size and modification time, the version of the
package that ships it, and the major version of transformers (config files written by
one major version can be misread by another; Llama's rope settings moved between 4 and
5). A change in any of them is a new directory, so a stale entry is never read.

Entries are written into a temporary sibling directory and renamed into place; the
rename is atomic, so a directory with the final name is always complete, even when two
processes convert at once or one is killed mid-write.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from fluent_ai.providers.local.catalog import LocalModelSpec

CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    """``$FLUENT_AI_CACHE_DIR/models`` when that variable is set (the root of all of
    fluent-ai's caches), else ``$XDG_CACHE_HOME/fluent-ai/models``, else
    ``~/.cache/fluent-ai/models``."""
    root = os.environ.get("FLUENT_AI_CACHE_DIR")
    if root:
        return Path(root).expanduser() / "models"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "fluent-ai" / "models"


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cache_key(spec: LocalModelSpec, gguf: Path) -> str:
    """The entry's directory name, e.g. ``smollm2-135m-instruct-3f9a0c1d2e4b``."""
    stat = gguf.stat()
    transformers_major = _version("transformers").split(".")[0]
    identity = "|".join(
        (
            f"format={CACHE_FORMAT}",
            f"file={gguf.name}:{stat.st_size}:{stat.st_mtime_ns}",
            f"package={spec.package}=={_version(spec.package.replace('_', '-'))}",
            f"transformers={transformers_major}",
        )
    )
    return f"{spec.name}-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"


def write_atomically(target: Path, write: Callable[[Path], None]) -> bool:
    """Run ``write(directory)`` into a fresh temporary directory, then move it to ``target``.

    Returns ``False`` when another process finished the same entry first; its copy is
    kept and ours discarded (both are the same conversion of the same file). The
    temporary directory is removed whatever happens.
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
    """Remove an entry that failed to load, so the next start converts afresh.

    It is renamed aside first, so no other process can see it half-deleted.
    """
    if not entry.exists():
        return
    doomed = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", suffix=".old", dir=entry.parent))
    entry.rename(doomed / entry.name)
    shutil.rmtree(doomed, ignore_errors=True)
