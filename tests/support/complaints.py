"""Catch what the garbage collector says about unclosed sockets and transports.

An unclosed connection shows up only when its objects are collected: as a
``ResourceWarning`` (``unclosed <socket…>``, ``unclosed transport…``), or as an error
raised in ``__del__`` and handed to ``sys.unraisablehook`` when such warnings are
errors (``-W error::ResourceWarning``). :meth:`Complaints.after_gc` collects, then
returns both kinds.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from typing import Any

import pytest


class Complaints:
    def __init__(self, caught: list[warnings.WarningMessage]) -> None:
        self._caught = caught
        self.unraisable: list[str] = []

    def hook(self, report: Any) -> None:
        self.unraisable.append(f"{report.exc_type.__name__}: {report.exc_value}")

    def after_gc(self) -> list[str]:
        gc.collect()
        found = [str(w.message) for w in self._caught if issubclass(w.category, ResourceWarning)]
        return found + self.unraisable


@pytest.fixture
def complaints(monkeypatch: pytest.MonkeyPatch) -> Iterator[Complaints]:
    gc.collect()  # what earlier tests left behind is not this test's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        found = Complaints(caught)
        monkeypatch.setattr("sys.unraisablehook", found.hook)
        yield found
