"""Walking a directory tree for the files a source may read.

Excluded and ignored directories are pruned, not listed, so a ``node_modules`` or a
virtual environment under the root costs one check, not thousands. ``.git`` is never
entered, and symbolic links to directories are not followed, so a link cycle cannot
make the walk endless.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fluent_ai.context.gitignore import GIT_DIRECTORY, IgnoreRules


@dataclass(frozen=True, slots=True)
class Found:
    """A file the walk found: its path, and its path relative to the start, ``/``-separated."""

    path: Path
    relative: str


@dataclass(slots=True)
class Walk:
    """What a walk found, in relative-path order, and what it could not read, with why.

    An unreadable path is relative to the start; the start itself is ``""``.
    """

    files: list[Found] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def walk(
    start: Path,
    rules: IgnoreRules | None,
    *,
    max_depth: int | None = None,
    prune: Callable[[str], bool] | None = None,
) -> Walk:
    """Files under ``start`` that ``rules`` do not ignore.

    ``rules`` are those in force above ``start`` (``None``: no .gitignore rules);
    each directory's own ``.gitignore`` is added on the way in. ``max_depth`` limits
    how many directories deep the walk goes (0: ``start`` only), and ``prune`` is
    asked, with a directory's relative path, whether to leave it out.
    """
    found = Walk()
    # Absolute, like the directories the ignore rules are relative to.
    pending: list[tuple[Path, str, IgnoreRules | None, int]] = [(start.absolute(), "", rules, 0)]
    while pending:
        directory, relative, outer_rules, depth = pending.pop()
        try:
            inner_rules = outer_rules.enter(directory) if outer_rules is not None else None
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            found.unreadable.append((relative.rstrip("/"), _reason("directory", error)))
            continue
        for entry in entries:
            path = directory / entry.name
            child = relative + entry.name
            try:
                is_directory = entry.is_dir(follow_symlinks=False)
                is_file = not is_directory and entry.is_file()
            except OSError as error:
                found.unreadable.append((child, _reason("entry", error)))
                continue
            if inner_rules is not None and inner_rules.ignores(path, is_dir=is_directory):
                continue
            if is_directory and _enters(entry.name, child, depth, max_depth, prune):
                pending.append((path, child + "/", inner_rules, depth + 1))
            elif is_file:
                found.files.append(Found(path, child))
    found.files.sort(key=lambda file: file.relative)
    return found


def _enters(
    name: str, relative: str, depth: int, max_depth: int | None, prune: Callable[[str], bool] | None
) -> bool:
    if name == GIT_DIRECTORY or (max_depth is not None and depth >= max_depth):
        return False
    return prune is None or not prune(relative)


def _reason(what: str, error: OSError) -> str:
    return f"{what} not readable: {error.strerror or error}"
