from __future__ import annotations

from collections.abc import Iterator

import pytest

from fluent_ai.http import RetryPolicy
from tests.support.networks import network
from tests.unit.http.loopback import Loopback, loopback_server

__all__ = ["network"]


@pytest.fixture
def server(network: str) -> Iterator[Loopback]:
    """A loopback server, with the test run once per transport (:mod:`tests.support.networks`)."""
    with loopback_server() as loopback:
        yield loopback


class Sleeps(list[float]):
    """Records each requested wait instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def policy(sleeps: Sleeps) -> RetryPolicy:
    return RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=30.0, sleep=sleeps)
