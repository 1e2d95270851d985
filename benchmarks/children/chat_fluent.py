"""fluent-ai's local model, as a user's script runs it: one streamed answer.

    python benchmarks/children/chat_fluent.py GGUF CACHE_DIR PROMPT TOKENS

Imports included (the clock starts with the process's first line), through
``LocalChatModel.stream``, greedy, with ``ignore_eos``-like length: the answer is cut
at TOKENS by ``max_tokens``. Prints timings from process start and the peak RSS.
"""

from __future__ import annotations

import time

BEGAN = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402


async def run(gguf: str, cache: str, prompt: str, tokens: int) -> dict[str, object]:
    from fluent_ai.providers.local import LocalChatModel
    from fluent_ai.types import ChatRequest, Message, TextDelta, UsageUpdate

    model = LocalChatModel(f"local/{gguf}", progress=False, cache_dir=cache)
    local = await model.load()
    loaded = time.perf_counter()
    request = ChatRequest(
        model=f"local/{gguf}", messages=[Message.user(prompt)], temperature=0, max_tokens=tokens
    )
    first = last = 0.0
    made = 0
    async for event in model.stream(request):
        if isinstance(event, TextDelta):
            last = time.perf_counter()
            first = first or last
        elif isinstance(event, UsageUpdate):
            made = event.usage.output_tokens
    return {
        "cold": local.source == "gguf",
        "loaded": loaded - BEGAN,
        "first_token": first - BEGAN,
        "tokens": made,
        "decode_seconds": last - first,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    gguf, cache, prompt, tokens = sys.argv[1:5]
    print(json.dumps(asyncio.run(run(gguf, cache, prompt, int(tokens)))))
