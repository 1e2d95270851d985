"""Shared pieces of the key tests: a gatekeeper over a store in a temporary file."""

from __future__ import annotations

from pathlib import Path

from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_state import SharedCounters
from fluent_ai.server.key_store import KeyStore

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
