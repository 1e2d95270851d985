"""One blocking generation: the prompt through the graph, then one token at a time.

The loop is fluent-ai's own rather than onnxruntime-genai's: it is a dozen lines over
the runner's ``forward``, it gives every hook a streaming chat model needs (a stop
string or a cancellation ends generation on the very token that caused it, sampling is
the request's own and seeded per request), and it keeps ONNX Runtime itself as the only
native dependency. Per token it costs one graph run and a numpy ``argmax`` or draw.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fluent_ai.providers.local.prompt import TemplateMessage
from fluent_ai.providers.local.sampler import Sampler
from fluent_ai.providers.local.sampling import GenerationOptions
from fluent_ai.providers.local.text import TextStream
from fluent_ai.types import ContextLengthExceededError, FinishReason

if TYPE_CHECKING:
    from fluent_ai.providers.local.loader import LocalModel


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a generation ended: real token counts and why it stopped."""

    prompt_tokens: int
    output_tokens: int
    reason: FinishReason
    raw_reason: str


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
    prompt = local.prompt_ids(messages)
    room = local.context_window - len(prompt)
    if room < 1:
        raise ContextLengthExceededError(
            f"the prompt is {len(prompt)} tokens and {local.spec.name} reads at most "
            f"{local.context_window}",
            provider="local",
        )
    limit = min(options.max_tokens, room)
    text = TextStream(local.decode, options.stop)
    sampler = Sampler(options)
    seen = list(prompt)
    ends = local.end_token_ids
    logits = local.runner.start(prompt)
    made = 0
    raw = "length"
    while made < limit:
        if halt.is_set():
            raw = "cancelled"
            break
        token = sampler.pick(logits, seen)
        made += 1
        if token in ends:
            raw = "eos"
            break
        seen.append(token)
        piece = text.push(token)
        if piece:
            emit(piece)
        if text.stopped:
            raw = "stop"
            break
        if made < limit:
            logits = local.runner.forward([token])
    tail = text.flush()
    if tail:
        emit(tail)
    reason = {"eos": FinishReason.STOP, "stop": FinishReason.STOP, "length": FinishReason.LENGTH}
    return Outcome(len(prompt), made, reason.get(raw, FinishReason.OTHER), raw)
