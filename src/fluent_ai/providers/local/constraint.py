"""Grammar-constrained decoding: at each step, only the tokens a grammar allows may be drawn.

A 135M model asked for JSON writes JSON-looking text that often does not parse; told
which tokens may come next it cannot go wrong. llguidance (the Rust core of Microsoft's
guidance) does the hard part: given a grammar (JSON schema or Lark) and the tokenizer's
byte strings, it says in tens of microseconds which of the vocabulary's tokens keep the
text inside the grammar. This module adapts it to the local generation loop:

* llguidance's tokenizer is built from the project's own GGUF tokenizer (its
  ``tokenizers`` JSON), once per loaded model, so both read the same token bytes;
* :meth:`Constraint.restrict` sets every forbidden logit to ``-inf`` *before* the
  sampler runs, so penalties, temperature, top-k/top-p and greedy choice keep their
  meaning among the allowed tokens;
* the end-of-turn ids are the grammar's end: allowed exactly when the text so far is a
  complete answer, and the only thing allowed once nothing more can be added.

numpy and llguidance are imported inside the functions: importing the provider must
stay free until a model is used.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

from fluent_ai.types import InvalidRequestError, LocalModelError

if TYPE_CHECKING:
    import numpy as np
    from llguidance import LLMatcher, LLTokenizer

    from fluent_ai.providers.local.loader import LocalModel

_tokenizers: weakref.WeakKeyDictionary[LocalModel, LLTokenizer] = weakref.WeakKeyDictionary()
_tokenizers_lock = threading.Lock()  # two first requests at once build it once


class IncompleteAnswerError(LocalModelError):
    """Generation stopped (``max_tokens`` or the context window) before the constrained
    answer was complete: the JSON or tool call it was writing would not parse."""


def guidance_tokenizer(local: LocalModel) -> LLTokenizer:
    """llguidance's view of ``local``'s tokenizer, built on first use (a few tenths of a
    second for SmolLM2's 49k tokens) and kept as long as the model.

    The vocabulary size is the model's own (its logits' length), which may exceed the
    tokenizer's when the embedding table is padded; the padding ids are never allowed.
    """
    with _tokenizers_lock:
        cached = _tokenizers.get(local)
        if cached is None:
            vocab = local.runner.config.vocab
            cached = build_tokenizer(local.tokenizer, local.chat.end_ids, vocab)
            _tokenizers[local] = cached
        return cached


def build_tokenizer(tokenizer: Any, end_ids: tuple[int, ...], vocab: int) -> LLTokenizer:
    """An llguidance tokenizer over a ``tokenizers.Tokenizer``, ending on ``end_ids``."""
    from llguidance import LLTokenizer

    if not end_ids:
        raise LocalModelError(
            "the model names no end-of-turn token, so a constrained answer could never end; "
            "use a GGUF file whose metadata sets tokenizer.ggml.eos_token_id",
            provider="local",
        )
    try:
        return LLTokenizer(tokenizer.to_str(), n_vocab=vocab, eos_token=list(end_ids))
    except ValueError as error:
        raise LocalModelError(
            f"llguidance cannot read the model's tokenizer ({error}); structured output "
            "and tools need a byte-level BPE or SentencePiece tokenizer",
            provider="local",
        ) from error


class Constraint:
    """One generation's grammar state: :meth:`restrict` the logits, :meth:`advance` by
    the token drawn, until :attr:`finished` or the end token."""

    def __init__(self, tokenizer: LLTokenizer, grammar: str) -> None:
        import numpy as np
        from llguidance import LLMatcher

        failed, messages = LLMatcher.validate_grammar_with_warnings(grammar, tokenizer)
        if failed:
            raise InvalidRequestError(
                f"the local model cannot follow this schema or tool list: {messages[0]}; "
                "simplify the JSON schema (llguidance supports most of draft 2020-12)",
                provider="local",
            )
        self._matcher: LLMatcher = LLMatcher(tokenizer, grammar, log_level=0)
        self._vocab = tokenizer.vocab_size
        self._mask = np.full((self._vocab + 31) // 32, -1, dtype=np.int32)
        self.tokens = 0

    def allowed(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Which token ids may come next, as one boolean per id of the vocabulary."""
        import numpy as np

        self._matcher.unsafe_compute_mask_ptr(self._mask.ctypes.data, self._mask.nbytes)
        self._check()
        bits = np.unpackbits(self._mask.view(np.uint8), count=self._vocab, bitorder="little")
        return bits.view(np.bool_)

    def restrict(self, logits: np.ndarray[Any, Any]) -> None:
        """Set the logit of every token the grammar forbids here to ``-inf``, in place.

        ``np.where`` over the whole row: measured faster than boolean-index assignment
        or ``putmask`` at SmolLM2's 49k tokens, whether few or many tokens are allowed.
        """
        import numpy as np

        head = logits[: self._vocab]
        head[...] = np.where(self.allowed(), head, np.float32(-np.inf))
        logits[self._vocab :] = -np.inf

    def advance(self, token: int) -> None:
        """Take ``token`` (drawn from restricted logits, so always allowed) into the state."""
        self._matcher.consume_token(token)
        self._check()
        self.tokens += 1

    @property
    def accepting(self) -> bool:
        """Whether the text so far is a complete answer (the end token is allowed)."""
        return self._matcher.is_accepting()

    @property
    def finished(self) -> bool:
        """Whether the answer is complete and nothing may follow but the end token."""
        return self._matcher.is_stopped()

    def _check(self) -> None:
        if self._matcher.is_error():
            raise LocalModelError(
                f"constrained decoding failed: {self._matcher.get_error()}", provider="local"
            )
