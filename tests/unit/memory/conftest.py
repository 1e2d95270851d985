"""Stores on every engine (embedded ``mem://`` and ``surrealkv://``, and ``ws://``
against a loopback server double), and small vectors whose distances are known."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

pytest.importorskip("surrealdb", reason="the memory extra is not installed")
pytest.importorskip("usearch", reason="the memory extra is not installed")

from fluent_ai.memory import Memory
from tests.support.surreal_ws import SurrealServerDouble

DIMENSIONS = 4


def axis(index: int, lean: float = 0.0) -> list[float]:
    """A unit vector along ``index``, leaning towards the next axis by ``lean``."""
    vector = [0.0] * DIMENSIONS
    vector[index] = 1.0
    vector[(index + 1) % DIMENSIONS] = lean
    return vector


@pytest.fixture(params=["mem", "surrealkv", "ws"])
def url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A new, empty store's address. ``ws://`` is a loopback server double relaying to
    an embedded engine (no SurrealDB server can be installed here), one per test; the
    store signs in with the root credentials from ``SURREAL_USER``/``SURREAL_PASS``."""
    if request.param == "mem":
        yield "mem://"
    elif request.param == "surrealkv":
        yield f"surrealkv://{tmp_path / 'store'}"
    else:
        with SurrealServerDouble(username="root", password="secret") as server:
            monkeypatch.setenv("SURREAL_USER", "root")
            monkeypatch.setenv("SURREAL_PASS", "secret")
            yield server


@pytest.fixture
async def memory(url: str) -> AsyncIterator[Memory]:
    store = Memory.open(url, embedder=None, dimensions=DIMENSIONS)
    async with store:
        yield store
