"""The gateway's models from the engine's YAML file, and the app a worker runs.

The file is the one :meth:`Router.from_config <fluent_ai.engine.Router.from_config>`
reads: each router under ``routers:`` is served under its name (what callers put in
``model``); a file with a single router at its top is served as ``default``. An
``embeddings:`` section names embedding models the same way::

    embeddings:
      minilm: local/all-minilm-l6-v2
      small: {model: openai/text-embedding-3-small, dimensions: 512, api_key_env: OPENAI_KEY}

Several
workers (``fluent-ai serve --workers N``) are separate processes, each building its
routers from the file named in ``FLUENT_AI_SERVE``.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from starlette.applications import Starlette

from fluent_ai.embeddings import EmbeddingModel
from fluent_ai.providers.base import ChatModel
from fluent_ai.types import ConfigurationError

OPTIONS_VARIABLE = "FLUENT_AI_SERVE"
"""The environment variable that hands each worker the file and the server options, as
JSON: ``{"config": PATH, "max_body": N, "cors_origins": [...], "metrics": FOLDER}``
(the folder where the workers share their metrics)."""
DEFAULT_NAME = "default"
YOUNG_COLLECTED_AFTER = 10_000
"""How many more container objects made than freed start a collection of a worker's
youngest generation (Python's default: 700; see :func:`tune_collector`)."""


GATEWAY_SECTIONS = frozenset({"embeddings", "keys", "master_key_env", "telemetry"})
"""Top-level entries that are the gateway's, not a single router's."""
EMBEDDER_KEYS = frozenset({"model", "base_url", "api_key_env", "dimensions"})


def read(path: Path) -> dict[str, Any]:
    """The gateway file, parsed."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"cannot read gateway config {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"gateway config {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigurationError(f"gateway config {path} must be a mapping")
    return data


def served_models(path: Path) -> dict[str, ChatModel]:
    """Every router the file describes, by the name callers ask for it."""
    from fluent_ai.engine.config import router_from
    from fluent_ai.engine.router import Router

    data = read(path)
    observed = data.get("telemetry", False)
    if not isinstance(observed, bool):
        raise ConfigurationError(f"{path}: 'telemetry' must be true or false")
    # Observed deployments make each attempt a span of its own, under the call's.
    options: dict[str, Any] = {"on_event": _no_events} if observed else {}
    routers = data.get("routers")
    if isinstance(routers, dict) and routers:
        served = {str(name): Router.from_config(path, str(name), **options) for name in routers}
    else:
        section = {key: value for key, value in data.items() if key not in GATEWAY_SECTIONS}
        served = {DEFAULT_NAME: router_from(section, where=str(path), **options)}
    if not observed:
        return dict(served)
    from fluent_ai.engine.observe import Observed

    return {name: Observed(router, name=name) for name, router in served.items()}


def _no_events(event: object) -> None:
    """The event callback of a router observed only for its spans."""


def served_embedders(path: Path) -> dict[str, EmbeddingModel]:
    """Every embedding model under ``embeddings:``, by name (none when there is none)."""
    from fluent_ai.embeddings import get_embedding_model

    section = read(path).get("embeddings") or {}
    if not isinstance(section, dict):
        raise ConfigurationError(f"{path}: 'embeddings' must map names to models")
    served: dict[str, EmbeddingModel] = {}
    for name, entry in section.items():
        where = f"{path}: embedding model {name!r}"
        settings = {"model": entry} if isinstance(entry, str) else entry
        if not isinstance(settings, dict) or not isinstance(settings.get("model"), str):
            raise ConfigurationError(f"{where} needs a 'provider/model' spec")
        unknown = set(settings) - EMBEDDER_KEYS
        if unknown:
            raise ConfigurationError(
                f"{where}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}; "
                f"use {', '.join(sorted(EMBEDDER_KEYS))}"
            )
        key = None
        if settings.get("api_key_env"):
            key = os.environ.get(str(settings["api_key_env"]))
            if not key:
                raise ConfigurationError(f"{where}: ${settings['api_key_env']} is not set")
        served[str(name)] = get_embedding_model(
            settings["model"],
            api_key=key,
            base_url=settings.get("base_url"),
            dimensions=settings.get("dimensions"),
        )
    return served


def app_from_config(
    path: Path,
    *,
    max_body: int | None = None,
    cors_origins: Sequence[str] = (),
    master_key_env: str | None = None,
    shared_metrics: Path | None = None,
) -> Starlette:
    """The gateway serving the routers in ``path``; it closes them when it stops."""
    from fluent_ai.server.app import MAX_BODY, create_app
    from fluent_ai.server.key_config import gatekeeper_from

    models, embedders = served_models(path), served_embedders(path)
    settings = read(path)
    keys = gatekeeper_from(settings, str(path), master_key_env=master_key_env)
    return create_app(
        models,
        embedders=embedders,
        max_body=max_body or MAX_BODY,
        owned=True,
        cors_origins=cors_origins,
        keys=keys,
        traced=settings.get("telemetry") is True,
        shared_metrics=shared_metrics,
    )


def worker_app() -> Starlette:
    """The app one worker process runs (uvicorn's factory), from the environment, with
    the process's garbage collector set for a server (:func:`tune_collector`)."""
    given = os.environ.get(OPTIONS_VARIABLE)
    try:
        options = json.loads(given) if given else None
    except ValueError:
        options = None
    if not isinstance(options, dict) or not isinstance(options.get("config"), str):
        raise ConfigurationError(
            f"{OPTIONS_VARIABLE} must hold the gateway's options as JSON, with 'config' "
            "naming its file (fluent-ai serve sets it)"
        )
    app = app_from_config(
        Path(options["config"]),
        max_body=options.get("max_body"),
        cors_origins=options.get("cors_origins") or (),
        master_key_env=options.get("master_key_env"),
        shared_metrics=Path(options["metrics"]) if options.get("metrics") else None,
    )
    tune_collector()
    return app


def tune_collector() -> None:
    """Set this process's garbage collector for a server whose app is now built.

    What is alive now (modules, the registry, the routers: some 55,000 objects in a
    worker) lives as long as the process, so it is frozen out of the collector's
    sight. Without that, full passes scanned all of it about 1.5 times a second under
    load, found nothing to free, and held up every call in flight while they ran: p99
    under load was twice as high. And a call leaves no reference cycles behind, yet
    at the default threshold the youngest generation was collected 190 times a second
    under load, for nothing; at :data:`YOUNG_COLLECTED_AFTER` a whole answer costs 7%
    less CPU, and at most that many objects of cyclic garbage wait for a pass
    (docs/server.md, "Speed")."""
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTED_AFTER, *gc.get_threshold()[1:])
