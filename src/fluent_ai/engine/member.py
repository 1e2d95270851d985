"""One deployment inside a router: its model, what the registry says of it, and its health.

Everything a routing decision reads per call is worked out once, when the router is
made (the registry's window and prices, the history key its protocol keeps, its
settings split into request fields and wire extras), so routing a call costs a few
attribute reads per deployment.

Its live state is kept here, in process, unless the router shares it through a state
backend (:mod:`fluent_ai.engine.state_redis`): then ``shared`` admits each call and
records how it ended, and the cooldown and circuit here mirror the shared ones as last
seen (what :meth:`Member.health` reports).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluent_ai.engine.deployment import Deployment
from fluent_ai.engine.failover import Verdict
from fluent_ai.engine.health import CircuitBreaker, Cooldown, HealthPolicy
from fluent_ai.engine.limits import DEFAULT_OUTPUT_TOKENS, Busy, Limits, Signal
from fluent_ai.engine.shape import Needs, for_deployment, history_key
from fluent_ai.engine.stats import DeploymentHealth, Traffic, percentiles
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.pricing import model_info
from fluent_ai.types import ChatRequest, FluentAIError, RateLimitError, Usage

if TYPE_CHECKING:
    from fluent_ai.engine.calllog import CallLog
    from fluent_ai.engine.observe_events import EventCallback
    from fluent_ai.engine.state_redis import SharedDeployment


class Member:
    """A deployment with its model and its live state (in-flight calls, cooldown, circuit)."""

    def __init__(
        self,
        index: int,
        deployment: Deployment,
        policy: HealthPolicy,
        on_event: EventCallback | None = None,
        log: CallLog | None = None,
    ) -> None:
        self.index = index
        self.deployment = deployment
        self.name = deployment.name
        self.tags = frozenset(deployment.tags)
        self.model: ChatModel = deployment.open()
        self.owned = deployment.chat_model is None
        provider, self.model_name = deployment.provider, deployment.model_name
        self.provider = provider
        self.fields, self.extra = deployment.request_settings()
        self.history_key = history_key(self.model, provider)
        info = model_info(provider, self.model_name)
        self.window = deployment.max_input_tokens or (info.max_input_tokens if info else None)
        self.input_price = _first(deployment.input_price, info.input_price if info else None)
        self.output_price = _first(deployment.output_price, info.output_price if info else None)
        self.known = info is not None and info.known
        self.vision = info is not None and info.supports_vision
        self.tool_calls = info is not None and info.supports_tools
        self.policy = policy
        self.cooldown = Cooldown(policy)
        self.breaker = CircuitBreaker(policy)
        self.traffic = Traffic(policy.samples)
        self.in_flight = 0
        self.max_in_flight = deployment.max_in_flight
        self.limits = Limits.of(deployment.rpm, deployment.tpm)
        self.freed = Signal()  # the router's, once its plan is made: wakes calls that wait
        self.shared: SharedDeployment | None = None
        if on_event is not None or log is not None:  # each attempt: an event, a span, a row
            from fluent_ai.engine.observe import Observed

            self.model = Observed(self.model, on_event=on_event, log=log, name=self.name)

    def prepare(self, request: ChatRequest) -> ChatRequest:
        return for_deployment(request, self.model_name, self.fields, self.extra, self.history_key)

    def unfit(self, needs: Needs) -> str | None:
        """Why ``needs`` rules this deployment out whatever its health, or ``None``."""
        if self.window is not None and needs.input_tokens > self.window:
            return f"context window: about {needs.input_tokens} tokens, window {self.window}"
        if self.known and needs.images and not self.vision:
            return "no image input"
        if self.known and needs.tools and not self.tool_calls:
            return "no tool calling"
        return None

    def refusal(self, now: float, needs: Needs | None = None) -> str | None:
        """Why no call (of ``needs``, for the tpm limit) may go here right now, or ``None``."""
        if self.cooldown.active(now):
            return "cooling down"
        limit = self.max_in_flight
        if limit is not None and self.in_flight >= limit:
            return Busy(f"full: {self.in_flight} calls in flight")
        reason = self.breaker.refusal(now)
        if reason is None and self.limits is not None:
            return self.limits.refusal(now, needs)
        return reason

    def capacity_in(self, now: float, needs: Needs) -> float | None:
        """Seconds until the rate limits let the call through; ``None`` while it is full."""
        limit = self.max_in_flight
        if limit is not None and self.in_flight >= limit:
            return None
        return self.limits.wait(now, needs) if self.limits is not None else 0.0

    def ready_in(self, now: float) -> float:
        """Seconds until a call may go here (0 when one may now or the wait is unknown)."""
        wait = max(0.0, self.cooldown.until - now)
        if self.breaker.state == "open":
            wait = max(wait, self.breaker.opened_at + self.policy.open_for - now)
        return wait

    def cost(self, needs: Needs) -> float | None:
        """The call's estimated price in USD, or ``None`` when the prices are unknown."""
        if self.input_price is None or self.output_price is None:
            return None
        output = needs.output_tokens or DEFAULT_OUTPUT_TOKENS
        return (needs.input_tokens * self.input_price + output * self.output_price) / 1e6

    # One call's life: begin, then exactly one of succeeded / failed / released.

    def begin(self, now: float, needs: Needs | None = None) -> bool:
        """Count a call in flight; ``True`` when it is a half-open circuit's probe."""
        self.in_flight += 1
        if self.limits is not None:
            self.limits.take(now, needs)
        return self.breaker.admit(now)

    def succeeded(
        self,
        now: float,
        probe: bool,
        first_event: float | None,
        total: float,
        needs: Needs | None = None,
        usage: Usage | None = None,
    ) -> None:
        """The call answered; ``usage`` (what the provider counted) corrects the tpm limit."""
        self.in_flight -= 1
        self.traffic.success(now, first_event, total)
        if self.shared is not None:
            self.shared.ended(self, "ok", probe, needs, usage)
            return
        self.breaker.success(now, probe)
        back = self.limits is not None and self.limits.settle(now, needs, usage)
        if back or self.max_in_flight is not None:
            self.freed.fire()

    def failed(self, now: float, probe: bool, error: FluentAIError, verdict: Verdict) -> None:
        self.in_flight -= 1
        label = type(error).__name__
        if self.shared is not None:
            if verdict in ("fault", "rate_limit"):
                self.traffic.failure(now, label)
            hint = error.retry_after if isinstance(error, RateLimitError) else None
            self.shared.ended(self, verdict, probe, retry_after=hint)
            return
        if self.max_in_flight is not None:
            self.freed.fire()
        if verdict == "fault":
            self.cooldown.failure(now)
            self.breaker.failure(now, probe, label)
            self.traffic.failure(now, label)
        elif verdict == "rate_limit":
            hint = error.retry_after if isinstance(error, RateLimitError) else None
            if hint is not None:
                self.cooldown.retry_after(now, hint)
            else:
                self.cooldown.failure(now)
            self.breaker.release(probe)
            self.traffic.failure(now, label)
        else:
            self.breaker.release(probe)

    def released(self, probe: bool) -> None:
        """The call ended with no verdict on the deployment (stopped by the caller)."""
        self.in_flight -= 1
        if self.shared is not None:
            self.shared.ended(self, "final", probe)
            return
        self.breaker.release(probe)
        if self.max_in_flight is not None:
            self.freed.fire()

    def health(self, now: float) -> DeploymentHealth:
        counted = self.traffic.counted(now, self.policy.stats_window)
        errors = sum(1 for s in counted if not s.ok)
        first = [s.first_event for s in counted if s.ok and s.first_event is not None]
        total = [s.total for s in counted if s.ok and s.total is not None]
        refusal = self.refusal(now)
        circuit = self.breaker.state
        if circuit != "closed":
            status: str = circuit
        elif refusal == "cooling down":
            status = "cooling_down"
        else:
            status = "healthy"
        return DeploymentHealth(
            name=self.name,
            model=self.deployment.model,
            tags=self.deployment.tags,
            status=status,
            circuit=circuit,
            cooldown_left=max(0.0, self.cooldown.until - now),
            consecutive_failures=self.breaker.failures,
            in_flight=self.in_flight,
            requests=len(counted),
            errors=errors,
            error_rate=errors / len(counted) if counted else 0.0,
            first_event_avg=self.traffic.first_event_avg,
            total_avg=self.traffic.total_avg,
            first_event=percentiles(first),
            total=percentiles(total),
            last_error=self.traffic.last_error,
            transitions=tuple(self.breaker.transitions),
        )


def _first(given: float | None, registry: float | None) -> float | None:
    return given if given is not None else registry
