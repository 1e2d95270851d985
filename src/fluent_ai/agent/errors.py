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
