"""The test profiles: which tests a ``pytest --profile NAME`` run keeps.

* ``quick``: unit and conformance tests that load no model and start nothing beyond
  loopback servers: what to run while developing (under two minutes on two cores).
* ``all`` (the default): everything but the soak and benchmark runs; what CI runs.
* ``soak``: the property tests only, with many more examples each (see ``conftest.py``).
* ``bench-smoke``: every benchmark script once at a tiny size, to prove it still runs.

Markers are given from where a test lives and what it is, so a new test needs none
unless it loads a model (``slow``): ``integration`` for ``tests/integration``,
``property`` for a hypothesis test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

PROFILES = ("quick", "all", "soak", "bench-smoke")

_OPT_IN = ("soak", "bench_smoke")
"""Markers of tests that only their own profile runs."""


def mark(item: pytest.Item) -> None:
    """Add the markers a test gets from its place and kind."""
    if item.nodeid.startswith("tests/integration/"):
        item.add_marker(pytest.mark.integration)
    if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
        item.add_marker(pytest.mark.property)


def _has(item: pytest.Item, *names: str) -> bool:
    return any(item.get_closest_marker(name) is not None for name in names)


KEEPS: dict[str, Callable[[pytest.Item], bool]] = {
    "quick": lambda item: not _has(item, "slow", "integration", *_OPT_IN),
    "all": lambda item: not _has(item, *_OPT_IN),
    "soak": lambda item: _has(item, "property", "soak"),
    "bench-smoke": lambda item: _has(item, "bench_smoke"),
}
