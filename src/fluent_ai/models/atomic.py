"""Replace a file's content all at once, so a crash leaves the old file or the new one.

The data goes to a temporary file in the same directory, is flushed to disk, and is
then renamed over the target; a rename within one file system is atomic on POSIX and
Windows. A crash before the rename leaves the target untouched and, at worst, a stray
``.<name>.*.tmp`` file, which :func:`remove_stray_temporaries` clears.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"


def atomic_write(path: Path, data: bytes) -> None:
    """Make ``data`` the content of ``path``, or leave ``path`` as it was on failure."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}{TEMPORARY_SUFFIX}")
    try:
        # "x" creates the file with the usual permissions (umask), unlike mkstemp's 0600.
        with temporary.open("xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    _sync_directory(path.parent)


def remove_stray_temporaries(directory: Path) -> list[Path]:
    """Delete temporary files a crashed :func:`atomic_write` left in ``directory``."""
    removed = []
    for stray in directory.glob(f".*{TEMPORARY_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            stray.unlink()
            removed.append(stray)
    return removed


def _sync_directory(directory: Path) -> None:
    # Makes the rename itself durable; directories cannot be opened this way on Windows.
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
