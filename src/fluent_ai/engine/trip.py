"""One routed call's record: what was tried and passed over, and the error to end with."""

from __future__ import annotations

import math

from fluent_ai.engine.failover import NoDeploymentAvailableError, Verdict
from fluent_ai.engine.member import Member
from fluent_ai.engine.route import Attempt, Intent, Route, Skip, attach
from fluent_ai.engine.shape import Needs
from fluent_ai.types import ContextLengthExceededError, FluentAIError, UnsupportedFeatureError

UNFIT = ("context window", "no image input", "no tool calling")
"""How the reasons that rule a deployment out for a request, not for its health, begin."""


class Trip:
    """The attempts and skips of one call, in order, and the last error that failed over."""

    __slots__ = (
        "attempts",
        "floor",
        "intent",
        "last",
        "needs",
        "retryable",
        "skipped",
        "strategy",
    )

    def __init__(self, strategy: str, needs: Needs, intent: Intent | None = None) -> None:
        self.strategy = strategy
        self.needs = needs
        self.intent = intent  # what an intent router decided, when one chose the group
        self.attempts: list[Attempt] = []
        self.skipped: list[Skip] = []
        self.last: FluentAIError | None = None
        self.floor = 0  # a deployment refused the prompt as too long for this window
        self.retryable = False  # whether waiting and trying again may help

    def skip(self, member: Member, reason: str) -> None:
        skip = Skip(member.name, reason)
        if skip not in self.skipped:
            self.skipped.append(skip)

    def too_small(self, member: Member) -> str | None:
        """A context-length refusal earlier in this call rules out windows no larger."""
        if self.floor and member.window is not None and member.window <= self.floor:
            return f"context window {member.window} no larger than one that refused the prompt"
        return None

    def failed(
        self, member: Member, error: FluentAIError, verdict: Verdict, seconds: float
    ) -> None:
        self.attempts.append(
            Attempt(member.name, type(error).__name__, str(error), error.status, seconds)
        )
        self.last = error
        if verdict in ("fault", "rate_limit"):
            self.retryable = True
        elif verdict == "context":
            self.floor = max(self.floor, member.window or 0) or 1

    def stopped(self, member: Member, error: BaseException, seconds: float) -> None:
        """An attempt that ends the call with its own error (not failed over)."""
        status = error.status if isinstance(error, FluentAIError) else None
        self.attempts.append(
            Attempt(member.name, type(error).__name__, str(error), status, seconds)
        )

    def route(self, deployment: Member | None = None, seconds: float = 0.0) -> Route:
        attempts = tuple(self.attempts)
        if deployment is not None:
            attempts += (Attempt(deployment.name, seconds=seconds),)
        return Route(
            strategy=self.strategy,
            deployment=deployment.name if deployment is not None else None,
            attempts=attempts,
            skipped=tuple(self.skipped),
            intent=self.intent,
        )

    def final(self, error: BaseException) -> BaseException:
        """``error`` with this call's route attached, ready to raise."""
        attach(error, self.route())
        return error

    def exhausted(self, ready_in: float | None) -> FluentAIError:
        """The error to raise when no deployment answered."""
        if self.last is not None:
            attach(self.last, self.route())
            return self.last
        reasons = "; ".join(f"{s.deployment}: {s.reason}" for s in self.skipped) or "none"
        if self.skipped and all(s.reason.startswith("context window") for s in self.skipped):
            error: FluentAIError = ContextLengthExceededError(
                f"the prompt (about {self.needs.input_tokens} tokens) fits no deployment's "
                f"context window ({reasons})"
            )
        elif self.skipped and all(s.reason.startswith(UNFIT) for s in self.skipped):
            error = UnsupportedFeatureError(f"no deployment can serve this request ({reasons})")
        else:
            hint = ready_in if ready_in is not None and math.isfinite(ready_in) else None
            error = NoDeploymentAvailableError(
                f"no deployment can take the call now ({reasons})", retry_after=hint
            )
        attach(error, self.route())
        return error
