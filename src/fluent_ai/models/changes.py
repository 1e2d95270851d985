"""What changed between two sets of catalogue entries: models added, modified, removed.

A model is identified by provider, name and kind; a modification lists each field whose
value differs, with both values, so ``fluent-ai models sync`` can say that a price went
from 3.0 to 2.5 rather than just that something changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from fluent_ai.models.entry import ENTRY_FIELDS, Entry, EntryKey, entry_key, field_value
from fluent_ai.models.info import ModelKind

Action = Literal["added", "modified", "removed"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one model that has a new value (``None``: absent or unknown)."""

    field: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class Change:
    """One model that appeared, changed or disappeared."""

    action: Action
    provider: str
    name: str
    kind: ModelKind = "chat"
    fields: tuple[FieldChange, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.provider}/{self.name}"


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Every change, ordered by provider, then model name, then kind."""

    changes: tuple[Change, ...] = ()

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def added(self) -> tuple[Change, ...]:
        return self._only("added")

    @property
    def modified(self) -> tuple[Change, ...]:
        return self._only("modified")

    @property
    def removed(self) -> tuple[Change, ...]:
        return self._only("removed")

    @property
    def providers(self) -> frozenset[str]:
        """The providers with at least one change: the modules to rewrite."""
        return frozenset(change.provider for change in self.changes)

    def _only(self, action: Action) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.action == action)


def diff(old: Mapping[str, Iterable[Entry]], new: Mapping[str, Iterable[Entry]]) -> ChangeSet:
    """The changes that turn ``old`` (provider → entries) into ``new``."""
    changes: list[Change] = []
    for provider in sorted(old.keys() | new.keys()):
        before = _by_key(old.get(provider, ()))
        after = _by_key(new.get(provider, ()))
        for key in sorted(before.keys() | after.keys()):
            name, kind = key
            if key not in after:
                changes.append(Change("removed", provider, name, kind))
            elif key not in before:
                changes.append(Change("added", provider, name, kind))
            else:
                fields = _changed_fields(before[key], after[key])
                if fields:
                    changes.append(Change("modified", provider, name, kind, fields))
    return ChangeSet(tuple(changes))


def _by_key(entries: Iterable[Entry]) -> dict[EntryKey, Entry]:
    return {entry_key(entry): entry for entry in entries}


def _changed_fields(before: Entry, after: Entry) -> tuple[FieldChange, ...]:
    changed = []
    for name in ENTRY_FIELDS:
        old, new = field_value(before, name), field_value(after, name)
        if old != new:
            changed.append(FieldChange(name, old, new))
    return tuple(changed)
