"""One blocking generation with transformers, reporting text as each token is made.

This module imports torch and transformers at the top: it is only imported by the
worker thread, after the model has been loaded (and so after both were imported).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from transformers import StoppingCriteriaList

from fluent_ai.providers.local.loader import LocalModel
from fluent_ai.providers.local.prompt import TemplateMessage
from fluent_ai.providers.local.sampling import GenerationOptions
from fluent_ai.providers.local.text import TextStream
from fluent_ai.types import ContextLengthExceededError, FinishReason


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a generation ended: real token counts and why it stopped."""

    prompt_tokens: int
    output_tokens: int
    reason: FinishReason
    raw_reason: str


class TokenSink:
    """Receives each generated token and tells ``generate`` whether to stop.

    It is a stopping criterion rather than a transformers streamer because a criterion
    is the one hook that both sees each token and decides whether generation goes on. A
    streamer cannot stop generation, and transformers 5 shows it a token only after the
    stop decision, so a stop string found there would cost one more token; here a stop
    string or a cancellation ends generation on the very token that caused it.
    """

    def __init__(
        self, text: TextStream, emit: Callable[[str], None], halt: threading.Event
    ) -> None:
        self.text = text
        self.emit = emit
        self.halt = halt
        self.count = 0
        self.last: int | None = None

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        self.count += 1
        self.last = int(input_ids[0, -1])
        piece = self.text.push(self.last)
        if piece:
            self.emit(piece)
        done = self.text.stopped or self.halt.is_set()
        return torch.full((input_ids.shape[0],), done, dtype=torch.bool)


def run_generation(
    local: LocalModel,
    messages: list[TemplateMessage],
    options: GenerationOptions,
    emit: Callable[[str], None],
    halt: threading.Event,
) -> Outcome:
    """Generate an answer to ``messages``, calling ``emit`` with each piece of text.

    Blocks until the answer ends, a stop string appears, ``max_tokens`` are made or
    ``halt`` is set. The caller holds ``local.lock``.
    """
    tokenizer = local.tokenizer
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    prompt_tokens = int(inputs["input_ids"].shape[1])
    room = local.spec.context_window - prompt_tokens
    if room < 1:
        raise ContextLengthExceededError(
            f"the prompt is {prompt_tokens} tokens and {local.spec.name} reads at most "
            f"{local.spec.context_window}",
            provider="local",
        )
    limit = min(options.max_tokens, room)

    def decode(ids: list[int]) -> str:
        text: str = tokenizer.decode(
            ids, skip_special_tokens=True, clean_up_tokenization_spaces=False
        )
        return text

    text = TextStream(decode, options.stop)
    sink = TokenSink(text, emit, halt)
    # fork_rng keeps a seeded request from resetting the random state of other torch users
    with torch.random.fork_rng(devices=[]), torch.inference_mode():
        if options.seed is not None:
            torch.manual_seed(options.seed)
        local.model.generate(
            **inputs,
            max_new_tokens=limit,
            stopping_criteria=StoppingCriteriaList([sink]),
            **options.sampling,
        )
    tail = text.flush()
    if tail:
        emit(tail)
    return Outcome(prompt_tokens, sink.count, *_finish_reason(sink, local, limit))


def _finish_reason(sink: TokenSink, local: LocalModel, limit: int) -> tuple[FinishReason, str]:
    if sink.text.stopped:
        return FinishReason.STOP, "stop"
    if sink.last in local.eos_token_ids:
        return FinishReason.STOP, "eos"
    if sink.count >= limit:
        return FinishReason.LENGTH, "length"
    return FinishReason.OTHER, "cancelled"
