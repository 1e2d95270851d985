"""Which files the ``.gitignore`` files of a tree exclude, decided the way git decides.

Every ``.gitignore`` applies to its own directory and everything below it, with paths
relative to that directory; a deeper file's rules win over a shallower one's, and
within one file the last matching line wins, so ``!`` can re-include. As in git, a
file inside an excluded directory stays excluded whatever a ``!`` line says, because
git never looks inside: callers prune excluded directories and so get this for free.

Rules start at the root of the enclosing git repository (the nearest directory with a
``.git``), with ``.git/info/exclude`` below every ``.gitignore``. Outside a repository
the ``.gitignore`` files from the walked directory down are used. The user's global
excludes file (``core.excludesFile``) is not read: it is personal, not the project's.

Pattern matching itself is pathspec's ``GitIgnoreSpec``, which follows git's own
rules and test cases (``**``, anchoring, directory-only patterns, escapes).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fluent_ai.types.errors import ConfigurationError

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

GITIGNORE = ".gitignore"
GIT_DIRECTORY = ".git"


class IgnoreRules:
    """The ignore rules in force in one directory: each rules file with its base directory."""

    __slots__ = ("_layers",)

    def __init__(self, layers: tuple[tuple[Path, GitIgnoreSpec], ...] = ()) -> None:
        self._layers = layers

    @classmethod
    def above(cls, directory: Path) -> tuple[IgnoreRules, Path | None]:
        """The rules from the repository root down to ``directory``'s parent, and the
        first directory on that way, ``directory`` included, that they ignore.

        ``directory``'s own ``.gitignore`` is not among them: entering it adds that.
        """
        directory = directory.absolute()
        top = _repository_root(directory)
        if top is None:
            return cls(), None
        rules = cls()._with(top, top / GIT_DIRECTORY / "info" / "exclude")
        ignored: Path | None = None
        current = top
        for part in directory.relative_to(top).parts:
            rules = rules.enter(current)
            current = current / part
            if ignored is None and rules.ignores(current, is_dir=True):
                ignored = current
        return rules, ignored

    def enter(self, directory: Path) -> IgnoreRules:
        """These rules plus those of ``directory/.gitignore``, for walking into it."""
        return self._with(directory, directory / GITIGNORE)

    def ignores(self, path: Path, *, is_dir: bool) -> bool:
        """Whether ``path`` (under every rules file's directory) is ignored."""
        for base, spec in reversed(self._layers):
            relative = path.relative_to(base).as_posix()
            verdict = spec.check_file(relative + "/" if is_dir else relative).include
            if verdict is not None:
                return verdict
        return False

    def _with(self, base: Path, rules_file: Path) -> IgnoreRules:
        try:
            lines = rules_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except (FileNotFoundError, NotADirectoryError):
            return self
        return IgnoreRules((*self._layers, (base, _compile(lines))))


def _repository_root(directory: Path) -> Path | None:
    for candidate in (directory, *directory.parents):
        if (candidate / GIT_DIRECTORY).exists():
            return candidate
    return None


def _compile(lines: list[str]) -> GitIgnoreSpec:
    try:
        from pathspec import GitIgnoreSpec
    except ImportError as error:
        raise ConfigurationError(
            "reading .gitignore files needs pathspec: pip install 'fluent-ai[context]', "
            "or pass gitignore=False to the source"
        ) from error
    return GitIgnoreSpec.from_lines(lines)
