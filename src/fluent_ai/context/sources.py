"""Where context comes from: one file, a directory tree, or a glob pattern.

Each source finds its files, reads them within its size limits, and returns a
:class:`ContextBundle` of documents plus a :class:`Skipped` record for every file it
could not use. Trees respect ``.gitignore`` files (see :mod:`fluent_ai.context.gitignore`);
a single :class:`File` is read even if ignored, because the caller named it.

Reading is synchronous and fast for typical projects; :meth:`aload` runs the same
work in a worker thread, so loading a large tree never blocks an event loop.
"""

from __future__ import annotations

import asyncio
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import ClassVar, Protocol, runtime_checkable

from fluent_ai.context.bundle import ContextBundle, block_tokens
from fluent_ai.context.document import ContextDocument, Skipped
from fluent_ai.context.gitignore import IgnoreRules
from fluent_ai.context.patterns import Glob, PathFilter, Patterns, is_literal
from fluent_ai.context.reading import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES, FileReader
from fluent_ai.context.walk import Walk, walk
from fluent_ai.templates.tokenizer import DEFAULT_TOKENIZER, Tokenizer

StrPath = str | os.PathLike[str]
Candidates = tuple[list[tuple[Path, str]], list[Skipped]]
"""Files to read, each with the path the model is shown, and what was refused early."""


@runtime_checkable
class ContextSource(Protocol):
    """Anything that turns into context documents: the sources here, or your own."""

    def load(self, tokenizer: Tokenizer | None = None) -> ContextBundle:
        """Read the source; ``tokenizer`` counts tokens (default: the estimate)."""
        ...

    async def aload(self, tokenizer: Tokenizer | None = None) -> ContextBundle:
        """:meth:`load` without blocking the event loop."""
        ...


@dataclass(frozen=True, kw_only=True)
class _FileSource(ABC):
    """What every file source shares: size limits, and reading what it finds."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES

    # Whether the caller named each file this source reads (a File) rather than a
    # place to look for files: a file of the first kind that cannot be read is a failure.
    _names_its_files: ClassVar[bool] = False

    def load(self, tokenizer: Tokenizer | None = None) -> ContextBundle:
        """Every file of this source as a document, or as a Skipped with its reason."""
        counter = DEFAULT_TOKENIZER if tokenizer is None else tokenizer
        found, skipped = self._candidates()
        reader = FileReader(
            counter, max_file_bytes=self.max_file_bytes, max_total_bytes=self.max_total_bytes
        )
        documents: list[ContextDocument] = []
        for path, display in found:
            result = reader.read(path, display)
            if isinstance(result, ContextDocument):
                documents.append(result)
            else:
                skipped.append(replace(result, named=self._names_its_files))
        total = sum(block_tokens(document, counter) for document in documents)
        return ContextBundle(tuple(documents), tuple(skipped), total)

    async def aload(self, tokenizer: Tokenizer | None = None) -> ContextBundle:
        """:meth:`load` in a worker thread, for large trees in async code."""
        return await asyncio.to_thread(self.load, tokenizer)

    @abstractmethod
    def _candidates(self) -> Candidates:
        """The files to read, with their shown paths, and anything refused before reading."""


@dataclass(frozen=True)
class File(_FileSource):
    """One file, shown to the model under the path as given."""

    path: StrPath
    _names_its_files: ClassVar[bool] = True

    def _candidates(self) -> Candidates:
        return [(Path(self.path), PurePath(self.path).as_posix())], []


@dataclass(frozen=True)
class Directory(_FileSource):
    """Every file under a directory, minus what ``.gitignore`` and ``exclude`` leave out.

    ``include`` and ``exclude`` are globs (one or several): with a ``/`` they match the
    path relative to the directory, without one the file name at any depth, so
    ``include="*.py"`` takes every Python file. Paths are shown with the directory as
    given in front (``Directory("src")`` shows ``src/app.py``).
    """

    path: StrPath
    include: Patterns | None = None
    exclude: Patterns | None = None
    gitignore: bool = True

    def _candidates(self) -> Candidates:
        root = Path(self.path)
        prefix = _prefix(PurePath(self.path).as_posix())
        shown = prefix.rstrip("/") or "."
        if not root.is_dir():
            reason = "not a directory" if root.exists() else "no such directory"
            return [], [Skipped(shown, "unreadable", reason, named=True)]
        rules, ignored = IgnoreRules.above(root) if self.gitignore else (None, None)
        if ignored is not None:
            return [], [_ignored(shown, ignored)]
        paths = PathFilter.of(self.include, self.exclude)
        found = walk(root, rules, prune=paths.excludes)
        files = [
            (f.path, prefix + f.relative) for f in found.files if paths.includes_file(f.relative)
        ]
        return files, _unreadable(found, prefix)


@dataclass(frozen=True)
class Files(_FileSource):
    """The files matching a glob pattern under ``root`` (default: the working directory).

    Made with :meth:`glob`. ``**`` matches any number of directories; see
    :mod:`fluent_ai.context.patterns`. Paths are shown relative to ``root``, as the
    pattern spells them. The walk starts at the pattern's fixed leading directories
    and goes no deeper than the pattern can match.
    """

    pattern: str
    root: StrPath | None = None
    gitignore: bool = True

    @classmethod
    def glob(
        cls,
        pattern: str,
        root: StrPath | None = None,
        *,
        gitignore: bool = True,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    ) -> Files:
        """Files matching ``pattern`` (``"docs/**/*.md"``) under ``root``."""
        return cls(
            pattern,
            root,
            gitignore=gitignore,
            max_file_bytes=max_file_bytes,
            max_total_bytes=max_total_bytes,
        )

    def _candidates(self) -> Candidates:
        pattern = self.pattern.replace(os.sep, "/")
        segments = pattern.split("/")
        fixed: list[str] = []
        for segment in segments[:-1]:
            if not is_literal(segment):
                break
            fixed.append(segment)
        # An absolute pattern's first segment is empty: its fixed part is then "/".
        base = "/".join(fixed) or ("/" if fixed else "")
        prefix = _prefix(base)
        start = Path(self.root if self.root is not None else ".") / base
        if not start.is_dir():
            return [], [Skipped(start.as_posix(), "unreadable", "no such directory", named=True)]
        rules, ignored = IgnoreRules.above(start) if self.gitignore else (None, None)
        if ignored is not None:
            return [], [_ignored(prefix.rstrip("/") or ".", ignored)]
        rest = segments[len(fixed) :]
        depth = None if "**" in rest else len(rest) - 1
        matcher = Glob(pattern)
        found = walk(start, rules, max_depth=depth)
        files = [
            (f.path, prefix + f.relative)
            for f in found.files
            if matcher.matches(prefix + f.relative)
        ]
        return files, _unreadable(found, prefix)


def _prefix(directory: str) -> str:
    """What goes before paths found under ``directory``: nothing for ``.``."""
    return "" if directory in ("", ".") else directory.rstrip("/") + "/"


def _ignored(shown: str, ignored: Path) -> Skipped:
    return Skipped(
        shown,
        "ignored",
        f".gitignore excludes {ignored}, so nothing under it is read; "
        "pass gitignore=False to read it anyway",
        named=True,
    )


def _unreadable(found: Walk, prefix: str) -> list[Skipped]:
    # An empty relative path is the source's own directory, which the caller named.
    return [
        Skipped(
            prefix + relative if relative else prefix.rstrip("/") or ".",
            "unreadable",
            reason,
            named=not relative,
        )
        for relative, reason in found.unreadable
    ]
