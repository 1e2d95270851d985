"""Which errors send a request on to the next deployment, and which count against health.

* **faults** (connection errors, timeouts, 5xx, a stream that broke or an answer that
  could not be read) fail over and count against the deployment's health;
* **rate limits** (429) fail over and cool the deployment down for the ``Retry-After``
  the provider sent (or count as a failure when it sent none), but leave the circuit
  breaker alone: a busy deployment is not a broken one;
* a **context-length** refusal fails over to a deployment with a larger window (the
  context-window fallback) and says nothing about health;
* the error types a router is given in ``failover_on`` fail over too, without counting
  against health: the router cannot tell whether the request or the deployment is at
  fault (an auth error may be one deployment's stale key, a content filter the prompt);
* every other error, client errors first (bad request, auth, permission, not found,
  content filtered), is the caller's to see at once: never retried elsewhere.
"""

from __future__ import annotations

from typing import Any, Literal

from fluent_ai.types import (
    BadResponseError,
    ConnectionError,
    ContextLengthExceededError,
    FluentAIError,
    ProviderUnavailableError,
    RateLimitError,
    StreamInterruptedError,
    TimeoutError,
)

Verdict = Literal["fault", "rate_limit", "context", "asked", "final"]

FAULTS: tuple[type[FluentAIError], ...] = (
    ConnectionError,
    TimeoutError,
    ProviderUnavailableError,
    StreamInterruptedError,
    BadResponseError,
)


def verdict(error: BaseException, failover_on: tuple[type[BaseException], ...]) -> Verdict:
    """What ``error`` means for routing; ``"final"`` errors are raised to the caller."""
    if not isinstance(error, FluentAIError):
        return "final"
    if isinstance(error, RateLimitError) or error.status == 429:
        return "rate_limit"
    if isinstance(error, FAULTS) or (error.status is not None and error.status >= 500):
        return "fault"
    if isinstance(error, ContextLengthExceededError):
        return "context"
    if failover_on and isinstance(error, failover_on):
        return "asked"
    return "final"


class NoDeploymentAvailableError(ProviderUnavailableError):
    """No deployment could be tried: each was cooling down, had its circuit open or was full.

    ``retry_after`` is when the first of them takes traffic again, in seconds, when
    known; :meth:`Route.of <fluent_ai.engine.Route.of>` says why each was passed over.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class LimitsReachedError(NoDeploymentAvailableError):
    """Every deployment that could take the call was at its limits (calls in flight, rpm,
    tpm) for as long as the router waits for capacity (``wait_for_capacity``).

    ``limits`` maps each deployment passed over to why (``"rpm limit: 60 requests a
    minute reached"``…); ``retry_after`` is when the rate limits let the first through,
    when known (a full deployment frees up when a call ends, which no one can foretell).
    """

    def __init__(self, message: str, *, limits: dict[str, str], **kwargs: Any) -> None:
        self.limits = limits
        super().__init__(message, **kwargs)
