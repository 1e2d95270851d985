"""``fluent-ai serve``: the gateway (:mod:`fluent_ai.server`) under uvicorn.

The config is read and every router built before the server starts, so a mistake in
the file is one clear line at once rather than a failure in each worker. Workers get
the file and the options through one environment variable, write their metrics to
one directory (so ``/metrics`` reports them all), and log one JSON line per request
on stderr in place of uvicorn's own access log. SIGHUP reloads the file without
dropping a call (:func:`_supervise`).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from fluent_ai.cli.errors import CLIError

MAX_BODY = 16 * 1024 * 1024


def serve(
    config: Annotated[
        Path, typer.Argument(help="The engine's YAML file: the routers to serve, by name.")
    ],
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; 0.0.0.0 exposes the gateway.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 4000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (each its own routers).")
    ] = 1,
    max_body: Annotated[
        int, typer.Option("--max-body", min=1, help="Largest request body taken, in bytes.")
    ] = MAX_BODY,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="A browser origin allowed to call (repeatable)."),
    ] = None,
    drain: Annotated[
        float,
        typer.Option("--drain", min=0, help="Seconds to let calls in flight finish on stop."),
    ] = 30.0,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn's log level.")] = "info",
    master_key_env: Annotated[
        str | None,
        typer.Option(
            "--master-key-env",
            help="Variable holding the master key: turns virtual keys on (or master_key_env "
            "in CONFIG).",
        ),
    ] = None,
) -> None:
    """Serve the routers in CONFIG at OpenAI- and Anthropic-compatible endpoints."""
    if find_spec("uvicorn") is None or find_spec("prometheus_client") is None:
        raise CLIError("the gateway needs the server extra", hint="pip install 'fluent-ai[server]'")
    import uvicorn

    from fluent_ai.server.config import OPTIONS_VARIABLE

    names = asyncio.run(_check(config, master_key_env))
    base = f"http://{host}:{port}"
    Console(stderr=True).print(
        f"serving {', '.join(names)} at {base}/v1/chat/completions (OpenAI) "
        f"and {base}/v1/messages (Anthropic)"
    )
    metrics = tempfile.mkdtemp(prefix="fluent-ai-metrics-")
    options = {
        "config": str(config.resolve()),
        "max_body": max_body,
        "cors_origins": cors_origin,
        "master_key_env": master_key_env,
        "metrics": metrics,
    }
    os.environ[OPTIONS_VARIABLE] = json.dumps(options)
    try:
        config_ = uvicorn.Config(
            "fluent_ai.server.config:worker_app",
            factory=True,
            http="fluent_ai.server.protocol:HttpProtocol",  # httptools; head and body in one write
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=False,
            log_config=_logging(log_level),
            timeout_graceful_shutdown=int(drain) if drain else None,
        )
        _supervise(config_)
    finally:
        shutil.rmtree(metrics, ignore_errors=True)


def _supervise(config: Any) -> None:
    """Run the workers under a supervisor, one worker included, for its SIGHUP: each
    worker is replaced by one built from the file as it is now, the new one in service
    before the old one stops taking connections and drains its calls in flight. A file
    that no longer builds leaves the old workers serving. On Linux each worker listens
    on a socket of its own, so kept-alive connections spread over all of them
    (:mod:`fluent_ai.cli.workers`)."""
    from fluent_ai.cli.workers import Workers, listening_sockets

    sockets = listening_sockets(config)
    try:
        Workers(config, sockets).run()
    except KeyboardInterrupt:
        pass
    finally:
        for sock in set(sockets):
            sock.close()


async def _check(config: Path, master_key_env: str | None = None) -> list[str]:
    """The served names, from models built once to check the file, then closed."""
    from fluent_ai.server.config import read, served_embedders, served_models
    from fluent_ai.server.key_config import gatekeeper_from

    keys = gatekeeper_from(read(config), str(config), master_key_env=master_key_env)
    if keys is not None:
        await keys.aclose()
    models, embedders = served_models(config), served_embedders(config)
    for model in models.values():
        await model.aclose()
    for embedder in embedders.values():
        await embedder.aclose()
    return sorted([*models, *embedders])


def _logging(level: str) -> dict[str, Any]:
    """uvicorn's logging, plus the gateway's access lines as bare JSON on stderr,
    written together once a second (:mod:`fluent_ai.server.access_log`)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = json.loads(json.dumps(LOGGING_CONFIG))
    config["formatters"]["json_line"] = {"format": "%(message)s"}
    config["handlers"]["access_json"] = {
        "class": "fluent_ai.server.access_log.BufferedLines",  # written once a second
        "formatter": "json_line",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["fluent_ai.server.access"] = {
        "handlers": ["access_json"],
        "level": "INFO",
        "propagate": False,
    }
    config["loggers"]["fluent_ai.server"] = {"handlers": ["default"], "level": level.upper()}
    return config
