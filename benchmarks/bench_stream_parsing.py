"""CPU time to parse a streamed answer, without the network.

Run: ``uv run python -m benchmarks.bench_stream_parsing``.

The per-chunk figure of ``benchmarks.run`` goes through a socket and an event loop,
so load from elsewhere on the machine moves it. This one feeds the benchmark server's
own 2,000-delta bodies, cut in 64 KiB pieces as a socket would deliver them, through
the SSE parser and each protocol's stream decoder, and counts CPU time (best of 30).
Ollama's native stream (JSON lines, as Ollama documents its chunks) goes through the
line splitter and its decoder the same way.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from benchmarks.server import anthropic_stream, openai_stream
from fluent_ai.http import JSONLinesParser, SSEParser
from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.base import ChatProtocol
from fluent_ai.providers.ollama import OllamaProtocol
from fluent_ai.providers.openai import OpenAIChatProtocol

PIECE = 65536


def pieces(body: bytes) -> list[bytes]:
    return [body[i : i + PIECE] for i in range(0, len(body), PIECE)]


def sse_only(chunks: list[bytes]) -> int:
    parser = SSEParser()
    return sum(len(parser.feed(chunk)) for chunk in chunks) + len(parser.close())


def decoded(protocol: ChatProtocol, chunks: list[bytes]) -> int:
    parser, decoder, count = SSEParser(), protocol.stream_decoder(), 0
    for chunk in chunks:
        for message in parser.feed(chunk):
            count += len(decoder.feed(message.data, message.event))
    for message in parser.close():
        count += len(decoder.feed(message.data, message.event))
    return count + len(decoder.close())


def ollama_stream(deltas: int) -> bytes:
    """The same answer as Ollama's ``/api/chat`` streams it: a chunk per line, then the last."""
    head = {"model": "bench", "created_at": "2025-11-05T10:00:00Z", "done": False}
    lines = [
        {**head, "message": {"role": "assistant", "content": f"tok{i} "}} for i in range(deltas)
    ]
    counts = {"done_reason": "stop", "prompt_eval_count": 5, "eval_count": deltas}
    lines.append({**head, "message": {"role": "assistant", "content": ""}, "done": True, **counts})
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def ollama_decoded(chunks: list[bytes]) -> int:
    parser, decoder, count = JSONLinesParser(), OllamaProtocol().stream_decoder(), 0
    for chunk in chunks:
        for line in parser.feed_lines(chunk):
            count += len(decoder.feed(line))
    for line in parser.close_lines():
        count += len(decoder.feed(line))
    return count + len(decoder.close())


def best_per_event(run: Callable[[], int], events: int, rounds: int = 30) -> float:
    """Microseconds of CPU per event, the best of ``rounds`` runs."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times) / events * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deltas", type=int, default=2000, help="text deltas in the stream")
    parser.add_argument("--rounds", type=int, default=30, help="runs to take the best of")
    args = parser.parse_args()
    openai_body = pieces(openai_stream(args.deltas))
    anthropic_body = pieces(anthropic_stream(args.deltas))
    ollama_body = pieces(ollama_stream(args.deltas))
    openai_events, anthropic_events = sse_only(openai_body), sse_only(anthropic_body)
    print(f"| stream ({args.deltas:,} deltas) | µs of CPU per event |")
    print("|---|---:|")
    rows = {
        "SSE parsing alone (OpenAI body)": lambda: sse_only(openai_body),
        "SSE + OpenAI decoder": lambda: decoded(OpenAIChatProtocol(), openai_body),
        "SSE + Anthropic decoder": lambda: decoded(AnthropicProtocol(), anthropic_body),
        "JSON lines + Ollama decoder": lambda: ollama_decoded(ollama_body),
    }
    counts = {"Anthropic": anthropic_events, "Ollama": args.deltas + 1}
    for name, run in rows.items():
        events = next((n for word, n in counts.items() if word in name), openai_events)
        print(f"| {name} | {best_per_event(run, events, args.rounds):.2f} |")


if __name__ == "__main__":
    main()
