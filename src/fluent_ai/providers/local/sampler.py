"""Pick the next token from the model's logits, as the request's options say.

The order of the steps is the one transformers and llama.cpp share, so that a setting
means the same here as there: repetition penalty on the raw logits, then temperature,
then top-k, top-p (nucleus) and min-p cut the distribution, then one draw. Each
generation has its own random generator, seeded from the request when it names a seed,
so a seeded request is reproducible and never disturbs anyone else's randomness.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from fluent_ai.providers.local.sampling import GenerationOptions

Logits = npt.NDArray[np.float32]


class Sampler:
    """Chooses tokens for one generation; :meth:`pick` is called once per token."""

    def __init__(self, options: GenerationOptions) -> None:
        self.options = options
        self._random = np.random.default_rng(options.seed)

    def pick(self, logits: Logits, seen: Iterable[int] = ()) -> int:
        """The next token id, given the logits and the tokens so far (for the penalty)."""
        options = self.options
        scores = logits.astype(np.float32, copy=True)
        if options.repetition_penalty != 1.0:
            penalise(scores, seen, options.repetition_penalty)
        if options.temperature is None:
            return int(np.argmax(scores))
        scores /= options.temperature
        candidates = np.arange(scores.shape[0])
        if 0 < options.top_k < scores.shape[0]:
            keep = np.argpartition(scores, -options.top_k)[-options.top_k :]
            candidates, scores = keep, scores[keep]
        order = np.argsort(-scores, kind="stable")
        candidates, scores = candidates[order], scores[order]
        probabilities = np.exp(scores - scores[0])
        probabilities /= probabilities.sum()
        count = len(probabilities)
        if options.top_p < 1.0:
            # the smallest prefix whose mass reaches top_p: the token that crosses it stays
            count = min(count, int(np.searchsorted(np.cumsum(probabilities), options.top_p)) + 1)
        if options.min_p > 0.0:
            count = min(count, int(np.sum(probabilities >= options.min_p * probabilities[0])))
        kept = probabilities[: max(count, 1)]
        choice = self._random.choice(len(kept), p=kept / kept.sum())
        return int(candidates[choice])


def penalise(scores: Logits, seen: Iterable[int], penalty: float) -> None:
    """Make each token already seen less likely (CTRL's rule, as transformers applies it):
    a positive logit is divided by ``penalty``, a negative one multiplied by it."""
    ids = np.fromiter(set(seen), dtype=np.int64)
    if ids.size == 0:
        return
    values = scores[ids]
    scores[ids] = np.where(values > 0, values / penalty, values * penalty)
