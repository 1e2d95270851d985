"""llama.cpp through llama-cpp-python, for comparison, when it is installed (a long compile).

    python benchmarks/children/chat_llamacpp.py GGUF CACHE_DIR PROMPT TOKENS

CACHE_DIR is unused: llama.cpp runs the GGUF file as it is. Greedy, one prompt, the
threads set to the cores this process may use; prints timings from process start.
"""

from __future__ import annotations

import time

BEGAN = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402


def main() -> None:
    gguf, _cache, prompt, tokens = sys.argv[1:5]
    from llama_cpp import Llama

    threads = len(os.sched_getaffinity(0))
    model = Llama(gguf, n_ctx=2048, n_threads=threads, verbose=False)
    loaded = time.perf_counter()
    stamps = []
    for _chunk in model.create_chat_completion(
        [{"role": "user", "content": prompt}], max_tokens=int(tokens), temperature=0, stream=True
    ):
        stamps.append(time.perf_counter())
    report = {
        "cold": False,
        "loaded": loaded - BEGAN,
        "first_token": stamps[1] - BEGAN,
        "tokens": len(stamps) - 2,
        "decode_seconds": stamps[-2] - stamps[1],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
