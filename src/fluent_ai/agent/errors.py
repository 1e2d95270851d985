"""Errors raised by agents: a bad build, or a run that hit one of its limits."""

from __future__ import annotations

from fluent_ai.types import ConfigurationError, FluentAIError


class AgentBuildError(ConfigurationError):
    """``.build()`` found problems; ``problems`` lists each with the call that caused it."""

    def __init__(self, name: str, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"agent {name!r} cannot be built:\n{listed}")


class StepLimitError(FluentAIError):
    """The model kept calling tools past the agent's step limit."""


class OutputValidationError(FluentAIError):
    """The model's structured output did not validate, even after one corrective retry."""


class TurnNotStoredError(FluentAIError):
    """A turn was answered but could not be stored in the agent's memory.

    Never raised by the agent: the reply is returned and carries this error in
    ``reply.memory_error`` (it is also logged, logger ``fluent_ai.agent``). ``stored``
    names what did reach the store before the failure; ``__cause__`` is the store's error.
    """

    def __init__(self, url: str, stored: list[str], cause: BaseException) -> None:
        self.url = url
        self.stored = stored
        kept = f" (already stored: {', '.join(stored)})" if stored else " (nothing was stored)"
        super().__init__(
            f"the reply is complete but the turn was not stored in memory {url}{kept}: "
            f"{type(cause).__name__}: {cause}. Check that the store is open and writable; "
            "to stop storing turns, build with .memory(..., store_turns=False)"
        )
        self.__cause__ = cause


class FactsNotLearnedError(FluentAIError):
    """A turn was answered and stored, but its facts could not be learned from it.

    Never raised by the agent: the reply carries it in ``reply.memory_error`` (it is also
    logged, logger ``fluent_ai.agent``); ``__cause__`` is the model's or store's error,
    and nothing from the failed answer was written (see :mod:`fluent_ai.memory.facts`).
    """

    def __init__(self, model: str, cause: BaseException) -> None:
        self.model = model
        super().__init__(
            f"the reply is complete but no facts were learned from it with {model}: "
            f"{type(cause).__name__}: {cause}. Nothing was written by this step; to stop "
            "learning facts after each turn, build with .memory(..., learn=False)"
        )
        self.__cause__ = cause
