"""One blocking generation: the prompt through the graph, then one token at a time.

The loop is fluent-ai's own rather than onnxruntime-genai's: it is a dozen lines over
the runner's ``forward``, it gives every hook a streaming chat model needs (a stop
string or a cancellation ends generation on the very token that caused it, sampling is
the request's own and seeded per request), and it keeps ONNX Runtime itself as the only
native dependency. Per token it costs one graph run and a numpy ``argmax`` or draw,
plus, for a constrained answer (JSON, tool calls), the grammar's mask (:mod:`.constraint`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fluent_ai.providers.local.constraint import Constraint, IncompleteAnswerError
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
    constraint: Constraint | None = None,
) -> Outcome:
    """Generate an answer to ``messages``, calling ``emit`` with each piece of text.

    Blocks until the answer ends, a stop string appears, ``max_tokens`` are made or
    ``halt`` is set. The caller holds ``local.lock``.

    With a ``constraint``, each token is drawn only from those its grammar allows (the
    mask applies to the raw logits, before the sampler's penalty and temperature); the
    answer ends when the model picks the end token once the grammar accepts, or at once
    when the grammar allows nothing else. Running out of tokens first raises
    :class:`IncompleteAnswerError`: a cut JSON answer is never passed off as complete.
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
        if constraint is not None:
            constraint.restrict(logits)
        token = sampler.pick(logits, seen)
        made += 1
        if token in ends:
            raw = "eos"
            break
        seen.append(token)
        if constraint is not None:
            constraint.advance(token)
        piece = text.push(token)
        if piece:
            emit(piece)
        if text.stopped:
            raw = "stop"
            break
        if constraint is not None and constraint.finished:
            raw = "eos"  # nothing may follow: the end token is the only choice left
            break
        if made < limit:
            logits = local.runner.forward([token])
    tail = text.flush()
    if tail:
        emit(tail)
    if constraint is not None and raw in ("length", "stop") and not constraint.accepting:
        raise _incomplete(raw, made, window=options.max_tokens > room)
    reason = {"eos": FinishReason.STOP, "stop": FinishReason.STOP, "length": FinishReason.LENGTH}
    return Outcome(len(prompt), made, reason.get(raw, FinishReason.OTHER), raw)


def _incomplete(raw: str, made: int, *, window: bool) -> IncompleteAnswerError:
    if raw == "stop":
        cause = "a stop string cut it"
        fix = "leave out stop strings that can occur inside the JSON"
    elif window:
        cause = f"the context window ran out after {made} tokens"
        fix = "shorten the conversation"
    else:
        cause = f"max_tokens ({made}) was reached"
        fix = "raise max_tokens"
    return IncompleteAnswerError(
        f"the local model's JSON answer is incomplete: {cause} before it closed; {fix}, "
        "or ask for a smaller JSON value",
        provider="local",
    )
