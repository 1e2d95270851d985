"""Bring a directory of generated modules in line with the catalogue, touching only what changed.

The change set between the modules on disk and the catalogue says which providers need
a new module. Before trusting it, the plan checks it against the bytes: every module is
rendered from the catalogue and compared with the file. Normally the modules that
differ are exactly the providers in the change set, and only those are written. When
anything does not fit (a file that cannot be read, a module differing although its
models did not change, a module for no provider) the plan becomes a full
regeneration: every module that differs from its rendering is rewritten and every
module that belongs to no provider is deleted. Either way each write is atomic and an
unchanged module keeps its exact bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fluent_ai.models.atomic import atomic_write, remove_stray_temporaries
from fluent_ai.models.changes import ChangeSet, diff
from fluent_ai.models.entry import Catalogue
from fluent_ai.models.generated import module_name, package_init, read_directory, render_module


@dataclass(frozen=True)
class Regeneration:
    """What a regeneration changes (or, for a dry run, would change) on disk."""

    changes: ChangeSet
    full: bool = False
    reasons: tuple[str, ...] = ()
    writes: dict[str, bytes] = field(default_factory=dict, repr=False)
    deletes: tuple[str, ...] = ()
    source: str = "aichat"

    @property
    def written(self) -> tuple[str, ...]:
        """Module file names that are (or would be) written, sorted."""
        return tuple(sorted(self.writes))


def plan_regeneration(
    catalogue: Catalogue, directory: Path, source: str = "aichat"
) -> Regeneration:
    """Work out the writes and deletions that make ``directory`` match ``catalogue``,
    the catalogue called ``source``."""
    existing = read_directory(directory)
    changes = diff(existing.providers, catalogue)
    rendered = {
        module_name(provider): render_module(provider, entries, source).encode("utf-8")
        for provider, entries in catalogue.items()
    }
    on_disk = _module_bytes(directory)
    writes = {name: data for name, data in rendered.items() if on_disk.get(name) != data}
    deletes = tuple(sorted(on_disk.keys() - rendered.keys()))

    expected_writes = {module_name(p) for p in changes.providers if p in catalogue}
    expected_deletes = {module_name(p) for p in existing.providers if p not in catalogue}
    reasons = [f"{name}: {problem}" for name, problem in sorted(existing.problems.items())]
    reasons += [
        f"{name}: differs from the catalogue although none of its models changed"
        for name in sorted(writes.keys() - expected_writes)
        if name in on_disk
    ]
    reasons += [
        f"{name}: belongs to no provider in the catalogue"
        for name in deletes
        if name not in expected_deletes and name not in existing.problems
    ]
    return Regeneration(changes, bool(reasons), tuple(reasons), writes, deletes, source)


def apply_regeneration(plan: Regeneration, directory: Path) -> None:
    """Carry out ``plan``: atomic writes first, then deletions."""
    directory.mkdir(parents=True, exist_ok=True)
    remove_stray_temporaries(directory)
    init = directory / "__init__.py"
    if not init.exists():
        atomic_write(init, package_init(plan.source).encode("utf-8"))
    for name, data in sorted(plan.writes.items()):
        atomic_write(directory / name, data)
    for name in plan.deletes:
        (directory / name).unlink(missing_ok=True)


def regenerate(
    catalogue: Catalogue, directory: Path, *, source: str = "aichat", dry_run: bool = False
) -> Regeneration:
    """Plan and, unless ``dry_run``, apply the regeneration of ``directory``."""
    plan = plan_regeneration(catalogue, directory, source)
    if not dry_run:
        apply_regeneration(plan, directory)
    return plan


def _module_bytes(directory: Path) -> dict[str, bytes | None]:
    """Every generated module's bytes by file name; ``None`` for one that cannot be read."""
    if not directory.is_dir():
        return {}
    found: dict[str, bytes | None] = {}
    for path in directory.glob("*.py"):
        if path.name == "__init__.py":
            continue
        try:
            found[path.name] = path.read_bytes()
        except OSError:
            found[path.name] = None
    return found
