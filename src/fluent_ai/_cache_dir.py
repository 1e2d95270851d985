"""The one rule for where fluent-ai keeps its caches on disk."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """``$FLUENT_AI_CACHE_DIR/<kind>`` when that variable is set (the root of all of
    fluent-ai's caches), else ``$XDG_CACHE_HOME/fluent-ai/<kind>``, else
    ``~/.cache/fluent-ai/<kind>``."""
    root = os.environ.get("FLUENT_AI_CACHE_DIR")
    if root:
        return Path(root).expanduser() / kind
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "fluent-ai" / kind
