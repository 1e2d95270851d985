"""Local embeddings side by side: ``uv run python -m benchmarks.bench_embeddings``.

all-MiniLM-L6-v2 from the same weights package, two ways:

* fluent-ai: ``LocalEmbeddingModel``, the ONNX graph built from the safetensors, run
  with ONNX Runtime and ``tokenizers``;
* sentence-transformers + torch (what fluent-ai 0.1 ran), when a Python that has them
  is found: ``--torch-python``, else the environment of :mod:`benchmarks.reference_env`
  (``python -m benchmarks.reference_env`` creates it), else this interpreter if it has
  them. Without one, fluent-ai is reported alone.

Every figure comes from a fresh process, so it includes what a user's first call pays
(starting Python, imports, opening the model). Cold start is launch to first vector on
an empty cache (fluent-ai builds its graph; torch has nothing to build); warm start is
the same with the graph cached; texts/s embeds 1,000 short sentences at batch size 32
(median of ``--passes`` passes after one warm-up pass); peak RSS is the process's maximum after
those passes. Each is the median over ``--runs`` processes, the engines' runs taking
turns so that a busy moment on the machine costs both alike, after one unmeasured run
of each that builds the warm cache and brings the libraries into the OS's file cache.

This file is also the child each run starts (``--child``): it imports nothing but the
standard library at the top, so the torch environment, which has no fluent-ai, can run it.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SUBJECTS = ["The cat", "A young engineer", "My neighbour", "The old train", "Our team", "A storm"]
VERBS = ["quietly crossed", "carefully studied", "suddenly left", "happily joined", "missed"]
OBJECTS = ["the river", "the new report", "a busy market", "the last meeting", "an empty room"]
PLACES = ["before dawn", "in Paris", "after lunch", "last winter", "near the station", "at noon"]
ENGINES = ("fluent-ai (ONNX Runtime)", "sentence-transformers + torch")


def sentences(count: int) -> list[str]:
    """``count`` distinct short sentences (about 16 word pieces each)."""
    parts = itertools.product(SUBJECTS, VERBS, OBJECTS, PLACES)
    made = [f"{s} {v} {o} {p}, case {i}." for i, (s, v, o, p) in enumerate(parts)]
    while len(made) < count:
        made += [f"{text} Again {len(made)}." for text in made[: count - len(made)]]
    return made[:count]


def child(engine: str, launched: float, model_dir: str, cache: str, options: Any) -> None:
    """One measured process: first vector, throughput, peak RSS, as one JSON line."""
    texts = sentences(options.texts)
    if engine == "fluent":
        import onnxruntime

        from fluent_ai.embeddings import LocalEmbeddingModel

        model = LocalEmbeddingModel(batch_size=options.batch_size, progress=False, cache_dir=cache)
        model.embed_sync(["the first vector"])
        first = time.time() - launched

        def embed() -> object:
            return model.embed_sync(texts)

        version = f"onnxruntime {onnxruntime.__version__}"
    else:
        import sentence_transformers
        import torch

        st = sentence_transformers.SentenceTransformer(model_dir, device="cpu")
        st.encode(["the first vector"])
        first = time.time() - launched

        def embed() -> object:
            return st.encode(texts, batch_size=options.batch_size, show_progress_bar=False)

        version = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    seconds = []
    for _ in range(options.passes + 1 if options.passes else 0):  # the first one warms up
        start = time.perf_counter()
        embed()
        seconds.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = len(texts) / statistics.median(seconds[1:]) if seconds else 0.0
    print(json.dumps({"first": first, "rate": rate, "peak": peak, "version": version}))


def measure(
    python: str, engine: str, model_dir: Path, cache: Path, args: Any, passes: int
) -> dict[str, Any]:
    """Start one child and return what it printed; ``passes=0`` stops at the first vector."""
    options = ["--texts", str(args.texts), "--batch-size", str(args.batch_size)]
    options += ["--passes", str(passes)]
    command = [python, __file__, *options, "--child", engine]
    command += [str(time.time()), str(model_dir), str(cache)]  # launched as late as possible
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def torch_python(given: str | None) -> str | None:
    """A Python with sentence-transformers and torch, or ``None``."""
    from benchmarks import reference_env

    candidates = [given] if given else []
    if not given:
        found = reference_env.available()
        candidates += [str(found)] if found else []
        if importlib.util.find_spec("sentence_transformers") is not None:
            candidates.append(sys.executable)
    for python in candidates:
        probe = [python, "-c", "import sentence_transformers, torch"]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return python
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--passes", type=int, default=3, help="timed passes per process")
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--torch-python", help="a Python with sentence-transformers and torch")
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "LAUNCHED", "MODEL", "CACHE"))
    args = parser.parse_args()
    if args.child:
        engine, launched, model_dir, cache = args.child
        child(engine, float(launched), model_dir, cache, args)
        return

    from fluent_ai.embeddings.local_runtime import model_directory
    from fluent_ai.onnx.session import available_cores

    model_dir = model_directory()
    torch = torch_python(args.torch_python)
    engines = [("fluent", sys.executable)] + ([("torch", torch)] if torch else [])
    cold: dict[str, list[float]] = {name: [] for name, _ in engines}
    warm: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in engines}
    with tempfile.TemporaryDirectory(prefix="bench-embeddings-") as scratch:
        shared = Path(scratch) / "warm"
        for name, python in engines:  # unmeasured: builds the warm cache, fills the OS's
            measure(python, name, model_dir, shared, args, 0)
        for run in range(args.runs):
            for name, python in engines:
                if name == "fluent":  # torch builds nothing: its cold start is its warm one
                    empty = Path(scratch) / f"cold-{run}"
                    cold[name].append(measure(python, name, model_dir, empty, args, 0)["first"])
                warm[name].append(measure(python, name, model_dir, shared, args, args.passes))
    print(
        f"Python {sys.version.split()[0]}, {available_cores()} cores, {args.texts} sentences "
        f"at batch size {args.batch_size}, medians of {args.runs} processes\n"
    )
    print("| engine | cold start (s) | warm start to first vector (s) | texts/s | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|")
    for (name, _), title in zip(engines, ENGINES, strict=False):
        runs = warm[name]

        def median(key: str, runs: list[dict[str, Any]] = runs) -> float:
            return float(statistics.median(run[key] for run in runs))

        start = f"{statistics.median(cold[name]):.2f}" if name == "fluent" else "no build"
        print(
            f"| {title} ({runs[0]['version']}) | {start} | {median('first'):.2f} "
            f"| {median('rate'):,.0f} | {median('peak'):.0f} |"
        )
    if not torch:
        print("\nsentence-transformers + torch: no Python with them (see --torch-python)")


if __name__ == "__main__":
    main()
