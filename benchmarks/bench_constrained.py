"""What grammar-constrained decoding costs the local model: the mask per token, and speed.

    uv run --extra local python -m benchmarks.bench_constrained [--replays 15] [--rounds 4]

1. One constrained answer (a JSON schema of a dozen strings) is generated, then its
   tokens are replayed ``--replays`` times through fresh constraints, timing each step's
   llguidance mask and the whole :meth:`Constraint.restrict`; each step keeps its
   fastest time, so that a busy machine's noise drops out of the figures.
2. ``--rounds`` alternating rounds of 120 tokens at temperature 0.8, unconstrained and
   constrained, give tokens/s for both under the same conditions (the constrained
   answer is cut by the limit, which raises :class:`IncompleteAnswerError`; its tokens
   are counted all the same).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import numpy as np

from fluent_ai.providers.local import LocalModel, load_local_model
from fluent_ai.providers.local.constraint import (
    Constraint,
    IncompleteAnswerError,
    guidance_tokenizer,
)
from fluent_ai.providers.local.generate import run_generation
from fluent_ai.providers.local.grammar import grammar_for
from fluent_ai.providers.local.sampling import GenerationOptions
from fluent_ai.types import ChatRequest, Message, ResponseFormat

SCHEMA = {
    "type": "object",
    "properties": {
        "story": {"type": "array", "items": {"type": "string", "maxLength": 40}, "minItems": 12}
    },
    "required": ["story"],
}
MESSAGES = [{"role": "user", "content": "Write a long story about a dragon, as sentences."}]
OPTIONS = GenerationOptions(max_tokens=120, temperature=0.8, seed=3)


def grammar() -> str:
    request = ChatRequest(
        model="smollm2",
        messages=[Message.user("x")],
        response_format=ResponseFormat(type="json_schema", json_schema=SCHEMA),
    )
    found = grammar_for(request)
    assert found is not None
    return found.source


def answer_tokens(local: LocalModel, source: str) -> list[int]:
    """The tokens of one constrained answer, as the generation loop drew them."""
    tokenizer = guidance_tokenizer(local)
    constraint = Constraint(tokenizer, source)
    pieces: list[str] = []
    options = GenerationOptions(max_tokens=400, temperature=0.8, seed=3)
    run_generation(local, MESSAGES, options, pieces.append, threading.Event(), constraint)
    ids: list[int] = local.tokenizer.encode("".join(pieces), add_special_tokens=False).ids
    return ids


def replay(local: LocalModel, source: str, tokens: list[int], replays: int) -> None:
    tokenizer = guidance_tokenizer(local)
    vocab = tokenizer.vocab_size
    masks = np.full((replays, len(tokens)), np.inf)
    restricts = np.full((replays, len(tokens)), np.inf)
    logits = np.random.default_rng(0).normal(size=vocab).astype(np.float32)
    for r in range(replays):
        bare, whole = Constraint(tokenizer, source), Constraint(tokenizer, source)
        for i, token in enumerate(tokens):
            started = time.perf_counter()
            bare.allowed()
            masks[r, i] = time.perf_counter() - started
            row = logits.copy()
            started = time.perf_counter()
            whole.restrict(row)
            restricts[r, i] = time.perf_counter() - started
            bare.advance(token)
            whole.advance(token)
    for name, times in (("mask + unpack", masks), ("restrict", restricts)):
        best = times.min(axis=0) * 1e6
        print(
            f"{name:>14}: median {np.median(best):.0f} µs, p90 {np.percentile(best, 90):.0f} µs, "
            f"max {best.max():.0f} µs over {len(tokens)} steps"
        )


def speed(local: LocalModel, source: str, rounds: int) -> None:
    tokenizer = guidance_tokenizer(local)
    found: dict[str, list[float]] = {"free": [], "json": []}
    for _ in range(rounds):
        for label in found:
            constraint = Constraint(tokenizer, source) if label == "json" else None
            started = time.perf_counter()
            try:
                made = run_generation(
                    local, MESSAGES, OPTIONS, lambda piece: None, threading.Event(), constraint
                ).output_tokens
            except IncompleteAnswerError:  # 120 tokens end the schema's dozen strings early
                made = constraint.tokens if constraint is not None else 0
            found[label].append(made / (time.perf_counter() - started))
    for label, rates in found.items():
        listed = " / ".join(f"{rate:.1f}" for rate in rates)
        print(f"{label:>14}: {listed} tokens/s (median {statistics.median(rates):.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replays", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    local = load_local_model("smollm2", progress=False)
    source = grammar()
    tokens = answer_tokens(local, source)
    replay(local, source, tokens, args.replays)
    speed(local, source, args.rounds)


if __name__ == "__main__":
    main()
