"""``fluent-ai serve``: the gateway (:mod:`fluent_ai.server`) under uvicorn.

The config is read and every router built before the server starts, so a mistake in
the file is one clear line at once rather than a failure in each worker.
"""

from __future__ import annotations

import asyncio
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

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
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn's log level.")] = "info",
) -> None:
    """Serve the routers in CONFIG at OpenAI- and Anthropic-compatible endpoints."""
    if find_spec("uvicorn") is None or find_spec("starlette") is None:
        raise CLIError("the gateway needs the server extra", hint="pip install 'fluent-ai[server]'")
    import uvicorn

    from fluent_ai.server.config import CONFIG_VARIABLE, MAX_BODY_VARIABLE

    names = asyncio.run(_check(config))
    base = f"http://{host}:{port}"
    Console(stderr=True).print(
        f"serving {', '.join(names)} at {base}/v1/chat/completions (OpenAI) "
        f"and {base}/v1/messages (Anthropic)"
    )
    # Each worker builds its own routers from the file the environment names.
    os.environ[CONFIG_VARIABLE] = str(config.resolve())
    os.environ[MAX_BODY_VARIABLE] = str(max_body)
    uvicorn.run(
        "fluent_ai.server.config:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )


async def _check(config: Path) -> list[str]:
    """The served names, from routers built once to check the file, then closed."""
    from fluent_ai.server.config import served_models

    models = served_models(config)
    for model in models.values():
        await model.aclose()
    return sorted(models)
