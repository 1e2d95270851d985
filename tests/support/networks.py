"""The ``network`` fixture: run a test once over each transport an HttpClient can send through.

:func:`fluent_ai.http.transports.network_transport` picks the h1 transport for
HTTP/1.1 and httpx's for HTTP/2; ``FLUENT_AI_HTTP_TRANSPORT`` forces one. Tests that
cross a real socket take this fixture (directly, or through one that depends on it),
so every behaviour they check holds on both.
"""

from __future__ import annotations

import pytest

from fluent_ai.http.transports import NETWORKS, TRANSPORT_VARIABLE


@pytest.fixture(params=NETWORKS)
def network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    name: str = request.param
    monkeypatch.setenv(TRANSPORT_VARIABLE, name)
    return name
