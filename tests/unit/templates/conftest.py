"""The same template written for each engine, so one test covers all three."""

from __future__ import annotations

import pytest

ENGINES = ("jinja", "liquid", "handlebars")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine name in turn."""
    name: str = request.param
    return name
