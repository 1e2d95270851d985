"""Every server test has the upstream key that the deployments of
:func:`tests.support.gateway.served_router` read, so that none keeps a key of its own
(and the gateway tests can check it never gets out); ``claude`` and ``gpt`` are
gateways over a recorded upstream (a test module may define its own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.faults import Upstream
from tests.support.gateway import KEY_ENV, UPSTREAM_KEY, claude_gateway, gpt_gateway


@pytest.fixture
def claude() -> Iterator[tuple[Upstream, str]]:
    """Claude served as ``smart``: the upstream and the gateway's base URL."""
    with claude_gateway() as served:
        yield served


@pytest.fixture
def gpt() -> Iterator[tuple[Upstream, str]]:
    """GPT served as ``fast``: the upstream and the gateway's base URL."""
    with gpt_gateway() as served:
        yield served


@pytest.fixture(autouse=True)
def upstream_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, UPSTREAM_KEY)
