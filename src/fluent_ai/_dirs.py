"""The one rule for where fluent-ai keeps its caches and its configuration on disk."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """``$FLUENT_AI_CACHE_DIR/<kind>`` when that variable is set (the root of all of
    fluent-ai's caches), else ``<kind>`` under the platform's user cache directory for
    fluent-ai (``$XDG_CACHE_HOME/fluent-ai`` or ``~/.cache/fluent-ai`` on Linux,
    ``~/Library/Caches/fluent-ai`` on macOS, ``%LOCALAPPDATA%\\fluent-ai\\Cache`` on
    Windows)."""
    root = os.environ.get("FLUENT_AI_CACHE_DIR")
    if root:
        return Path(root).expanduser() / kind
    # Imported here: only a call that touches the disk needs it.
    import platformdirs

    return Path(platformdirs.user_cache_dir("fluent-ai", appauthor=False)) / kind


def config_dir() -> Path:
    """``$FLUENT_AI_CONFIG_DIR`` when set, else the platform's user configuration
    directory for fluent-ai (``$XDG_CONFIG_HOME/fluent-ai`` or ``~/.config/fluent-ai`` on
    Linux, ``~/Library/Application Support/fluent-ai`` on macOS, ``%APPDATA%\\fluent-ai``
    on Windows)."""
    root = os.environ.get("FLUENT_AI_CONFIG_DIR")
    if root:
        return Path(root).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("fluent-ai", appauthor=False, roaming=True))


def data_dir() -> Path:
    """``$FLUENT_AI_DATA_DIR`` when set, else the platform's user data directory for
    fluent-ai (``$XDG_DATA_HOME/fluent-ai`` or ``~/.local/share/fluent-ai`` on Linux,
    ``~/Library/Application Support/fluent-ai`` on macOS, ``%LOCALAPPDATA%\\fluent-ai``
    on Windows). For what the user made (memories), which a cache may not hold: caches
    are deleted by cleaners and by users reclaiming space."""
    root = os.environ.get("FLUENT_AI_DATA_DIR")
    if root:
        return Path(root).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("fluent-ai", appauthor=False))
