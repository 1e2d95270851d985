"""Suite-wide set-up: the profiles (``--profile``), hypothesis settings, the grouping of
model-loading tests under pytest-xdist, and fluent-ai's directories kept out of the
user's home.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support import profiles

# No deadline: a property test's examples are judged by what they return, never by how
# long one took, which on a loaded machine (or beside parallel workers) varies.
settings.register_profile("fluent-ai", deadline=None)
# The soak profile: many more examples, for the tests that do not pin their own count.
settings.register_profile("soak", deadline=None, max_examples=2000)
settings.load_profile("fluent-ai")

MODEL_GROUP = "local-model"
"""The xdist group of the tests that load a real model: one worker runs them all in
turn, so each model is built and loaded once per run, not once per worker."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--profile",
        choices=profiles.PROFILES,
        default="all",
        help="which tests to run: quick (unit + conformance, no models), all (CI), "
        "soak (property tests, many examples) or bench-smoke (benchmarks at a tiny size)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for line in (
        "integration: lives in tests/integration (given from the path)",
        "property: a hypothesis property test (given from the test)",
        "soak: long-running; only the soak profile runs it",
        "bench_smoke: runs a benchmark at a tiny size; only the bench-smoke profile runs it",
    ):
        config.addinivalue_line("markers", line)
    if config.getoption("profile") == "soak":
        settings.load_profile("soak")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups this adds
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep = profiles.KEEPS[config.getoption("profile")]
    selected: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        profiles.mark(item)
        if item.get_closest_marker("slow") is not None:
            item.add_marker(pytest.mark.xdist_group(MODEL_GROUP))
        (selected if keep(item) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def _run_root(factory: pytest.TempPathFactory) -> Path:
    """This run's temporary root, the same for every xdist worker of the run (each
    worker's own base directory is a child of it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def fluent_ai_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point fluent-ai's cache, configuration and data at this run's temporary root.

    The cache (built model graphs, downloaded catalogues) is shared by the run's workers:
    entries are written to a temporary directory and renamed into place, so two workers
    building one model at once both end with a complete entry. Configuration and data
    (memories) are per worker. Tests that need their own directories still set them.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    root = _run_root(tmp_path_factory)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FLUENT_AI_CACHE_DIR", str(root / "fluent-ai-cache"))
        patch.setenv("FLUENT_AI_CONFIG_DIR", str(root / f"fluent-ai-config-{worker}"))
        patch.setenv("FLUENT_AI_DATA_DIR", str(root / f"fluent-ai-data-{worker}"))
        yield root


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """Ctrl-C raising KeyboardInterrupt, as in a program run from a terminal: a process
    started in the background by a shell (a CI job under ``nohup … &``) inherits SIGINT
    ignored, Python keeps it so, and a test that presses Ctrl-C would wait forever."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
