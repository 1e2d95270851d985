"""The gateway's models from the engine's YAML file, and the app a worker runs.

The file is the one :meth:`Router.from_config <fluent_ai.engine.Router.from_config>`
reads: each router under ``routers:`` is served under its name (what callers put in
``model``); a file with a single router at its top is served as ``default``. Several
workers (``fluent-ai serve --workers N``) are separate processes, each building its
routers from the file named by ``FLUENT_AI_SERVE_CONFIG``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from starlette.applications import Starlette

from fluent_ai.providers.base import ChatModel
from fluent_ai.types import ConfigurationError

CONFIG_VARIABLE = "FLUENT_AI_SERVE_CONFIG"
MAX_BODY_VARIABLE = "FLUENT_AI_SERVE_MAX_BODY"
DEFAULT_NAME = "default"


def served_models(path: Path) -> dict[str, ChatModel]:
    """Every router the file describes, by the name callers ask for it."""
    from fluent_ai.engine.router import Router

    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"cannot read gateway config {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"gateway config {path} is not valid YAML: {exc}") from None
    routers = data.get("routers") if isinstance(data, dict) else None
    if isinstance(routers, dict) and routers:
        return {str(name): Router.from_config(path, str(name)) for name in routers}
    return {DEFAULT_NAME: Router.from_config(path)}


def app_from_config(path: Path, *, max_body: int | None = None) -> Starlette:
    """The gateway serving the routers in ``path``; it closes them when it stops."""
    from fluent_ai.server.app import MAX_BODY, create_app

    models = served_models(path)
    return create_app(models, max_body=max_body or MAX_BODY, owned=True)


def worker_app() -> Starlette:
    """The app one worker process runs (uvicorn's factory): the file in the environment."""
    path = os.environ.get(CONFIG_VARIABLE)
    if not path:
        raise ConfigurationError(f"{CONFIG_VARIABLE} must name the gateway's config file")
    limit = os.environ.get(MAX_BODY_VARIABLE)
    return app_from_config(Path(path), max_body=int(limit) if limit else None)
