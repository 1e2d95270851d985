"""The real all-MiniLM-L6-v2 for tests: built once per test session into a temporary cache.

Every test module that loads it points at the same directory under pytest's base
temporary directory, so the first one builds the graph (a second or two) and the rest
open the cached entry, or get the process-wide instance already loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def minilm_cache_root(factory: pytest.TempPathFactory) -> Path:
    """The ``FLUENT_AI_CACHE_DIR`` the tests use; the graph is under ``models/`` in it."""
    return factory.getbasetemp() / "minilm-cache"


def require_minilm() -> None:
    """Skip unless the weights package and the runtime packages are installed."""
    from fluent_ai.embeddings.local_runtime import model_directory, require_packages
    from fluent_ai.types.errors import LocalModelError

    try:
        require_packages()
        model_directory()
    except LocalModelError as exc:
        pytest.skip(str(exc))


@contextmanager
def minilm_cache(factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Skip unless the model can run; else point ``FLUENT_AI_CACHE_DIR`` at the shared
    test cache while the block runs (for a module-scoped fixture to wrap)."""
    require_minilm()
    root = minilm_cache_root(factory)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FLUENT_AI_CACHE_DIR", str(root))
        yield root
