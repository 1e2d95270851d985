"""One deployment inside a router: its model, what the registry says of it, and its health.

Everything a routing decision reads per call is worked out once, when the router is
made (the registry's window and prices, the history key its protocol keeps, its
settings split into request fields and wire extras), so routing a call costs a few
attribute reads per deployment.
"""

from __future__ import annotations

from fluent_ai.engine.deployment import Deployment
from fluent_ai.engine.failover import Verdict
from fluent_ai.engine.health import CircuitBreaker, Cooldown, HealthPolicy
from fluent_ai.engine.shape import Needs, for_deployment, history_key
from fluent_ai.engine.stats import DeploymentHealth, Traffic, percentiles
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.pricing import model_info
from fluent_ai.types import ChatRequest, FluentAIError, RateLimitError

DEFAULT_OUTPUT_TOKENS = 500
"""The answer length the cost strategy assumes for a request that sets no ``max_tokens``."""


class Member:
    """A deployment with its model and its live state (in-flight calls, cooldown, circuit)."""

    def __init__(self, index: int, deployment: Deployment, policy: HealthPolicy) -> None:
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

    def refusal(self, now: float) -> str | None:
        """Why no call may go here right now, or ``None``."""
        if self.cooldown.active(now):
            return "cooling down"
        limit = self.deployment.max_in_flight
        if limit is not None and self.in_flight >= limit:
            return f"full: {self.in_flight} calls in flight"
        return self.breaker.refusal(now)

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

    def begin(self, now: float) -> bool:
        """Count a call in flight; ``True`` when it is a half-open circuit's probe."""
        self.in_flight += 1
        return self.breaker.admit(now)

    def succeeded(self, now: float, probe: bool, first_event: float | None, total: float) -> None:
        self.in_flight -= 1
        self.breaker.success(now, probe)
        self.traffic.success(now, first_event, total)

    def failed(self, now: float, probe: bool, error: FluentAIError, verdict: Verdict) -> None:
        self.in_flight -= 1
        label = type(error).__name__
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
        self.breaker.release(probe)

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
