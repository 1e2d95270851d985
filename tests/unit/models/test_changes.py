"""The change detector: the real catalogue pair, and properties over random catalogues."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from fluent_ai.models.aichat import parse_catalogue
from fluent_ai.models.changes import ChangeSet, diff
from fluent_ai.models.entry import Catalogue, Entry
from fluent_ai.models.generated import read_directory
from fluent_ai.models.regenerate import regenerate
from tests.unit.models import expected


def as_sets(
    changes: ChangeSet,
) -> tuple[set[expected.Key], dict[expected.Key, set[str]], set[expected.Key]]:
    return (
        {(c.provider, c.name, c.kind) for c in changes.added},
        {(c.provider, c.name, c.kind): {f.field for f in c.fields} for c in changes.modified},
        {(c.provider, c.name, c.kind) for c in changes.removed},
    )


def test_real_change_set_matches_an_independent_reckoning(
    previous_text: str, current_text: str
) -> None:
    changes = diff(parse_catalogue(previous_text), parse_catalogue(current_text))

    assert as_sets(changes) == expected.change_set(previous_text, current_text)
    assert (len(changes.added), len(changes.modified), len(changes.removed)) == (227, 12, 224)


def test_real_modification_reports_old_and_new_values(
    previous_text: str, current_text: str
) -> None:
    changes = diff(parse_catalogue(previous_text), parse_catalogue(current_text))

    [chat] = [c for c in changes.modified if c.id == "deepseek/deepseek-chat"]

    assert [(f.field, f.old, f.new) for f in chat.fields] == [
        ("input_price", 0.27, 0.56),
        ("output_price", 1.1, 1.68),
    ]


# Random catalogues over a small alphabet of names, so that models often collide.
FIELD_VALUES = {
    "api_name": st.sampled_from(["real-a", "real-b"]),
    "max_input_tokens": st.integers(0, 3),
    "max_output_tokens": st.integers(0, 3),
    "input_price": st.sampled_from([0.0, 0.5, 2.0]),
    "output_price": st.sampled_from([0.0, 0.5, 2.0]),
    "supports_vision": st.booleans(),
    "supports_tools": st.booleans(),
    "supports_json_schema": st.booleans(),
    "cached_input_price": st.sampled_from([0.0, 0.25]),
    "deprecation_date": st.sampled_from(["2026-01-01", "2027-06-30"]),
    "thinking_budget": st.integers(1, 3),
    "max_batch_size": st.integers(0, 3),
    "max_tokens_per_text": st.integers(0, 3),
}
DEFAULTS = {"kind": "chat"}
"""An unstated flag is unknown (``None``), not ``False``: LiteLLM states ``false``."""


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    entry: dict[str, object] = {"name": draw(st.sampled_from(["m1", "m2", "m3", "m4"]))}
    kind = draw(st.sampled_from(["chat", "chat", "embedding", "reranker"]))
    if kind != "chat":
        entry["kind"] = kind
    for field in draw(st.sets(st.sampled_from(sorted(FIELD_VALUES)), max_size=4)):
        entry[field] = draw(FIELD_VALUES[field])
    return cast(Entry, entry)


def unique(items: list[Entry]) -> tuple[Entry, ...]:
    by_key = {(e["name"], e.get("kind", "chat")): e for e in items}
    return tuple(by_key[key] for key in sorted(by_key))


catalogues = st.dictionaries(
    st.sampled_from(["alpha", "beta", "gamma"]), st.lists(entries(), max_size=6).map(unique)
)


def flatten(catalogue: Catalogue) -> dict[tuple[str, str, str], dict[str, object]]:
    """Every model with every field spelled out, defaults included."""
    return {
        (provider, entry["name"], entry.get("kind", "chat")): {
            field: entry.get(field, DEFAULTS.get(field)) for field in [*FIELD_VALUES, "kind"]
        }
        for provider, models in catalogue.items()
        for entry in models
    }


@given(catalogues)
def test_no_change_between_equal_catalogues(catalogue: Catalogue) -> None:
    assert not diff(catalogue, catalogue)
    assert not diff(catalogue, {p: tuple(reversed(e)) for p, e in catalogue.items()})


@given(catalogues, catalogues)
def test_change_set_describes_exactly_the_difference(old: Catalogue, new: Catalogue) -> None:
    changes = diff(old, new)
    before, after = flatten(old), flatten(new)

    added, modified, removed = as_sets(changes)
    assert added == after.keys() - before.keys()
    assert removed == before.keys() - after.keys()
    for key in before.keys() & after.keys():
        patched = dict(before[key])
        for change in changes.modified:
            if (change.provider, change.name, change.kind) == key:
                for field in change.fields:
                    assert patched[field.field] == field.old
                    patched[field.field] = field.new
        assert patched == after[key]
        assert (key in modified) == (before[key] != after[key])


@given(catalogues, catalogues)
def test_change_set_is_symmetric(old: Catalogue, new: Catalogue) -> None:
    forward, backward = diff(old, new), diff(new, old)

    assert {c.id for c in forward.added} == {c.id for c in backward.removed}
    assert {(c.id, c.kind) for c in forward.modified} == {(c.id, c.kind) for c in backward.modified}
    for one, other in zip(forward.modified, backward.modified, strict=True):
        assert [(f.field, f.old, f.new) for f in one.fields] == [
            (f.field, f.new, f.old) for f in other.fields
        ]


@settings(max_examples=40, deadline=None)
@given(catalogues, catalogues)
def test_regeneration_follows_the_change_set(old: Catalogue, new: Catalogue) -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        regenerate(old, directory)
        before = {path.name: path.read_bytes() for path in directory.glob("*.py")}

        result = regenerate(new, directory)

        assert not result.full, result.reasons
        assert result.changes == diff(old, new)
        assert read_directory(directory).providers == new
        for provider in (old.keys() & new.keys()) - result.changes.providers:
            path = directory / f"{provider}.py"
            assert path.read_bytes() == before[path.name]
        assert not regenerate(new, directory).writes
