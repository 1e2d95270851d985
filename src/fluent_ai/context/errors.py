"""Errors raised while building a model's context from files."""

from __future__ import annotations

from fluent_ai.types.errors import FluentAIError


class ContextOverflowError(FluentAIError):
    """The documents do not fit the token budget and ``on_overflow="error"`` was asked for.

    ``needed_tokens`` is what every document would take, ``budget_tokens`` what was
    allowed, so the caller can raise the budget or narrow the sources.
    """

    def __init__(self, needed_tokens: int, budget_tokens: int, documents: int) -> None:
        self.needed_tokens = needed_tokens
        self.budget_tokens = budget_tokens
        super().__init__(
            f"the context needs {needed_tokens:,} tokens for {documents} "
            f"file{'' if documents == 1 else 's'} but the budget is {budget_tokens:,} "
            f"tokens; raise the budget, narrow the sources, or let build_context "
            f'truncate (on_overflow="truncate")'
        )
