"""Shared pieces of the key tests: a gatekeeper over a store in a temporary file, a
gateway serving GPT behind it, and keys made through the admin API as an operator would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_state import SharedCounters
from fluent_ai.server.key_store import KeyStore
from tests.support.faults import Upstream
from tests.support.gateway import gpt_gateway

MASTER = "fa-master-secret-for-tests-only-0000"


def gatekeeper(
    path: Path, *, redis: str | None = None, refresh: float = 0.2, flush: float = 0.05
) -> Gatekeeper:
    """A gatekeeper that reloads and flushes often, so tests see its effects quickly."""
    shared = SharedCounters(redis) if redis else None
    return Gatekeeper(
        KeyStore(path), master_key=MASTER, shared=shared, refresh=refresh, flush=flush
    )


def admin(master: str = MASTER) -> dict[str, str]:
    return {"authorization": f"Bearer {master}"}


@contextmanager
def keyed_gpt(folder: Path) -> Iterator[tuple[Upstream, str, Gatekeeper]]:
    """A gateway serving ``fast`` (GPT over a loopback upstream) that asks for keys, kept
    in a store in ``folder``: the upstream, the gateway's URL and its gatekeeper."""
    gate = gatekeeper(folder / "keys.sqlite3")
    with gpt_gateway(keys=gate) as (up, url):
        yield up, url, gate


def make_key(url: str, **fields: Any) -> dict[str, Any]:
    """A key made through the gateway's admin API (named ``app``, with ``fields``)."""
    reply = httpx.post(url + "/admin/keys", json={"name": "app", **fields}, headers=admin())
    assert reply.status_code == 201, reply.text
    made: dict[str, Any] = reply.json()
    return made
