"""The local chat model side by side with the torch path: start, first token, speed, memory.

    uv run python -m benchmarks.bench_local [--runs 3] [--tokens 128] [--setup]

SmolLM2-135M-Instruct from the same GGUF file, through three engines, each run in a
fresh process per measurement, so that every figure includes what a user's first
request pays (imports, opening the model):

* fluent-ai: the ONNX graph built from the GGUF file, run with ONNX Runtime;
* torch + transformers (fluent-ai 0.1's path), from the environment of
  :mod:`benchmarks.reference_env` (``--setup`` creates it; skipped when absent);
* llama.cpp through llama-cpp-python, where that Python has it installed.

Cold start is one run on an empty cache (fluent-ai builds its graph, transformers
converts to safetensors); warm start to first token, time to first token after loading,
decode tokens/s and peak RSS are medians of ``--runs`` runs on the warm cache.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks import reference_env
from fluent_ai.providers.local.catalog import SMOLLM2

CHILDREN = Path(__file__).parent / "children"
PROMPT = "Write a long story about a lighthouse keeper and a storm."


@dataclass(frozen=True)
class Engine:
    name: str
    python: Path
    script: str


def run_child(engine: Engine, cache: Path, tokens: int) -> dict[str, float]:
    gguf = SMOLLM2.gguf_path()
    command = [str(engine.python), str(CHILDREN / engine.script), str(gguf), str(cache)]
    done = subprocess.run(
        [*command, PROMPT, str(tokens)], capture_output=True, text=True, check=True
    )
    report: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def has_module(python: Path, module: str) -> bool:
    code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    return subprocess.run([str(python), "-c", code], check=False).returncode == 0


def engines(setup: bool) -> list[Engine]:
    found = [Engine("fluent-ai (ONNX Runtime)", Path(sys.executable), "chat_fluent.py")]
    reference = reference_env.ensure() if setup else reference_env.available()
    if reference is not None:
        found.append(Engine("torch + transformers", reference, "chat_torch.py"))
    for python in {Path(sys.executable), *([reference] if reference else [])}:
        if has_module(python, "llama_cpp"):
            found.append(Engine("llama-cpp-python", python, "chat_llamacpp.py"))
            break
    return found


def measure(engine: Engine, runs: int, tokens: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="fluent-ai-bench-") as tmp:
        cold = run_child(engine, Path(tmp), tokens)
        warm = [run_child(engine, Path(tmp), tokens) for _ in range(runs)]

    def median(key: str) -> float:
        return statistics.median(report[key] for report in warm)

    speed = statistics.median((r["tokens"] - 1) / r["decode_seconds"] for r in warm)
    return [
        engine.name,
        f"{cold['first_token']:.1f} s" if cold["cold"] else "-",
        f"{median('first_token'):.2f} s",
        f"{(median('first_token') - median('loaded')) * 1000:.0f} ms",
        f"{speed:.0f}",
        f"{median('peak_rss_mb'):.0f} MB",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="warm runs per engine")
    parser.add_argument("--tokens", type=int, default=128, help="tokens per answer")
    parser.add_argument("--setup", action="store_true", help="create the torch environment")
    args = parser.parse_args()
    header = [
        "SmolLM2-135M-Instruct, CPU",
        "cold start to first token",
        "warm start to first token",
        "first token after load",
        "decode tokens/s",
        "peak RSS",
    ]
    rows = [measure(engine, args.runs, args.tokens) for engine in engines(args.setup)]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
