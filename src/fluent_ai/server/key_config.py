"""The gateway file's key settings: the master key's variable, the store, shared state.

::

    master_key_env: FLUENT_AI_MASTER_KEY   # turns keys on; the variable holds the master key
    keys:
      store: sqlite:///var/lib/fluent-ai/keys.sqlite3   # default: the user data directory
      # or postgresql://USER:PASSWORD@HOST:5432/DB      # several machines, one store
      state: redis://127.0.0.1:6379/0                    # optional: share spend and limits
      refresh: 2                                         # seconds between key table reloads
      flush: 1                                           # seconds between spend batches

With no ``master_key_env`` the gateway takes every call with no key (for a gateway on
127.0.0.1 that only its own machine reaches).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fluent_ai._dirs import data_dir
from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.key_state import SharedCounters
from fluent_ai.server.key_store import KeyStore, Store, open_url
from fluent_ai.types import ConfigurationError

SETTINGS = frozenset({"store", "state", "refresh", "flush"})


def default_store() -> Path:
    """Where the keys live when the file names no store."""
    return data_dir() / "gateway" / "keys.sqlite3"


def key_settings(data: dict[str, Any], where: str) -> dict[str, Any]:
    section = data.get("keys") or {}
    if not isinstance(section, dict):
        raise ConfigurationError(
            f"{where}: 'keys' must be a mapping ({', '.join(sorted(SETTINGS))})"
        )
    unknown = set(section) - SETTINGS
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown keys setting(s) {', '.join(sorted(map(str, unknown)))}; "
            f"use {', '.join(sorted(SETTINGS))}"
        )
    return section


def open_store(data: dict[str, Any], where: str) -> Store:
    """The key store the file names (``sqlite:///PATH``, ``postgresql://…``) or the default."""
    given = key_settings(data, where).get("store")
    return open_url(str(given)) if given else KeyStore(default_store())


def gatekeeper_from(
    data: dict[str, Any], where: str, *, master_key_env: str | None = None
) -> Gatekeeper | None:
    """The gatekeeper the file asks for, or ``None`` when keys are off."""
    variable = master_key_env or data.get("master_key_env")
    section = key_settings(data, where)
    if not variable:
        if section:
            raise ConfigurationError(
                f"{where}: 'keys' needs 'master_key_env' naming the variable that holds "
                "the master key"
            )
        return None
    master = os.environ.get(str(variable))
    if not master:
        raise ConfigurationError(
            f"{where}: ${variable} is not set; it must hold the gateway's master key"
        )
    state = section.get("state")
    if state is not None and not str(state).startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(f"{where}: keys 'state' must be a redis:// URL")
    shared = SharedCounters(str(state)) if state else None
    return Gatekeeper(
        open_store(data, where),
        master_key=master,
        shared=shared,
        refresh=float(section.get("refresh", 2.0)),
        flush=float(section.get("flush", 1.0)),
    )
