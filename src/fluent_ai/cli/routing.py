"""``fluent-ai chat -m router:NAME``: chat through a router from the router config file.

The file is the YAML that ``Router.from_config`` reads (``docs/engine.md``): the one
given with ``--router-config PATH``, else the one ``FLUENT_AI_ROUTER_CONFIG`` names,
else ``router.yaml`` beside the CLI's ``config.toml`` (``fluent-ai config path``).
``router:NAME`` picks the router ``NAME`` under its ``routers:``; a bare ``router:``
takes a file's only router. After each answer the CLI says which deployment answered
and what was tried before it, read from the route the answer carries.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluent_ai._dirs import config_dir
from fluent_ai.cli.errors import CLIError
from fluent_ai.types import ConfigurationError

if TYPE_CHECKING:
    from fluent_ai.engine import Router

PREFIX = "router:"
CONFIG_ENV = "FLUENT_AI_ROUTER_CONFIG"
FILE_NAME = "router.yaml"


def is_router(model: str) -> bool:
    """Whether ``model`` names a router (``router:NAME``) rather than a model."""
    return model.startswith(PREFIX)


def router_config_path(given: Path | None = None) -> Path:
    """The router config file: ``given``, else ``$FLUENT_AI_ROUTER_CONFIG``, else the default."""
    if given is not None:
        return given.expanduser()
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser()
    return config_dir() / FILE_NAME


def open_router(model: str, config: Path | None = None) -> Router:
    """The router ``model`` (``router:NAME``) names, from the router config file."""
    from fluent_ai.engine.config import load_router

    name = model.removeprefix(PREFIX).strip() or None
    path = router_config_path(config)
    if not path.is_file():
        raise CLIError(
            f"-m {model}: there is no router config file at {path}",
            hint=f"write one (see 'Configuration file' in docs/engine.md), or name it with "
            f"--router-config PATH or {CONFIG_ENV}",
        )
    try:
        return load_router(path, name)
    except CLIError:
        raise
    except ConfigurationError as exc:
        hint = "-m router: (no name) takes the router of a file that holds one" if name else None
        raise CLIError(f"-m {model}: {exc}", hint=hint) from None


def route_line(route: dict[str, Any] | None) -> str | None:
    """``answered by NAME · router (fallbacks) tried a (…), NAME (answered)``."""
    from fluent_ai.engine.route import Route

    if route is None:
        return None
    found = Route.from_dict(route)
    return f"answered by {found.deployment or 'no deployment'} · {found.summary()}"
