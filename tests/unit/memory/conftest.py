"""Stores on every embedded engine, and small vectors whose distances are known."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("surrealdb", reason="the memory extra is not installed")
pytest.importorskip("usearch", reason="the memory extra is not installed")

from fluent_ai.memory import Memory

DIMENSIONS = 4


def axis(index: int, lean: float = 0.0) -> list[float]:
    """A unit vector along ``index``, leaning towards the next axis by ``lean``."""
    vector = [0.0] * DIMENSIONS
    vector[index] = 1.0
    vector[(index + 1) % DIMENSIONS] = lean
    return vector


@pytest.fixture(params=["mem", "surrealkv"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "mem":
        return "mem://"
    return f"surrealkv://{tmp_path / 'store'}"


@pytest.fixture
async def memory(url: str) -> AsyncIterator[Memory]:
    store = Memory.open(url, embedder=None, dimensions=DIMENSIONS)
    async with store:
        yield store
