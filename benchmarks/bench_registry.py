"""What a model's limits and prices cost to look up, against LiteLLM: one table.

    uv run --group bench python -m benchmarks.bench_registry [--runs 5]

*Cold*: a fresh interpreter imports the library and answers one question (the input
price of ``gpt-4o-mini``), median of ``--runs`` runs, bare interpreter start-up
subtracted: what a script pays the first time it prices a call. *Warm*: one more
lookup in a process that has already answered, median over 10,000 lookups of a few
names: what every priced call pays. *All models*: loading every provider's data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

# litellm downloads its price list at import unless told to use its bundled copy.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

COLD = {
    "fluent-ai": "from fluent_ai.models import resolve; resolve('gpt-4o-mini').input_price",
    "litellm": "import litellm; litellm.get_model_info('gpt-4o-mini')['input_cost_per_token']",
}
NAMES = ("gpt-4o-mini", "claude-sonnet-4-5", "gpt-4o-2024-08-06", "o3-mini")


def cold(code: str, runs: int) -> float:
    """Median seconds to run ``code`` in a fresh interpreter, start-up subtracted."""

    def once(source: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], check=True, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    bare = statistics.median(once("pass") for _ in range(runs))
    return statistics.median(once(code) for _ in range(runs)) - bare


def warm_fluent_ai() -> float:
    from fluent_ai.models import resolve

    return _per_call(lambda name: resolve(name).input_price)


def warm_litellm() -> float:
    import litellm

    return _per_call(lambda name: litellm.get_model_info(name)["input_cost_per_token"])


def _per_call(lookup: Callable[[str], object]) -> float:
    """Median microseconds per lookup, over batches of the names in :data:`NAMES`."""
    for name in NAMES:
        lookup(name)
    batches = []
    for _ in range(2500):
        start = time.perf_counter()
        for name in NAMES:
            lookup(name)
        batches.append((time.perf_counter() - start) / len(NAMES))
    return statistics.median(batches) * 1e6


def all_models() -> tuple[int, float]:
    from fluent_ai.models import Registry

    start = time.perf_counter()
    count = len(Registry.from_package().models())
    return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per figure")
    runs = parser.parse_args().runs
    print(f"{'':<12}{'cold: import + 1 lookup':>26}{'warm: per lookup':>20}")
    warm = {"fluent-ai": warm_fluent_ai(), "litellm": warm_litellm()}
    for library, code in COLD.items():
        print(f"{library:<12}{cold(code, runs) * 1000:>23.0f} ms{warm[library]:>17.1f} µs")
    count, seconds = all_models()
    print(f"fluent-ai: all {count:,} models loaded in {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
