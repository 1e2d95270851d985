"""Which deployment answered a routed call, which were tried before it and why they failed.

Every answer says how it was routed. The report travels inside the answer itself, so
it reaches whoever reads the answer, through the agent and the gateway, without a
side channel that concurrent calls would have to share:

* a whole answer (``complete``) carries it in ``ChatResponse.extra[ROUTE_KEY]``, the
  field that keeps what has no neutral home;
* a stream carries it in one :class:`~fluent_ai.types.ProviderData` event sent just
  before :class:`~fluent_ai.types.Finish` (where the event order puts provider data),
  so a collected stream has the same ``extra[ROUTE_KEY]`` as a whole answer;
* a call that fails raises the typed error of its last attempt (the same error the
  model alone would raise) with the route in a note and in :meth:`Route.of`.

In ``extra`` the report is plain JSON (a conversation saved with its answers stays
JSON); :meth:`Route.of` reads it back as these dataclasses. A router with an intent
router (:mod:`fluent_ai.engine.intent_pick`) adds the :class:`Intent` that chose the
group, with its explanation.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from fluent_ai.types import ChatResponse

ROUTE_KEY = "route"
"""The key of the route report in ``ChatResponse.extra`` and in the stream's provider data."""

_ERROR_ROUTES: weakref.WeakKeyDictionary[BaseException, Route] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Attempt:
    """One deployment tried: ``error`` is the typed error's class name, ``None`` if it answered."""

    deployment: str
    error: str | None = None
    message: str | None = None
    status: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class Skip:
    """A deployment passed over without a request: why (``cooling down``, ``circuit open``…)."""

    deployment: str
    reason: str


@dataclass(frozen=True, slots=True)
class Intent:
    """The intent router's decision for a call that named no tags: the ``route`` (a tag)
    it chose, ``by`` what (``"rule"``, ``"examples"``, ``"default"``), the rule's name or
    the winning similarity, and ``explanation``, the decision in words."""

    route: str
    by: str
    explanation: str
    rule: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """How one call was routed: ``deployment`` answered (``None`` if none did);
    ``intent`` is set when an intent router chose the deployments to try."""

    strategy: str
    deployment: str | None
    attempts: tuple[Attempt, ...] = ()
    skipped: tuple[Skip, ...] = ()
    intent: Intent | None = None

    @property
    def failed(self) -> tuple[Attempt, ...]:
        """The attempts that failed, in the order they were made."""
        return tuple(a for a in self.attempts if not a.ok)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON, as it is kept in ``ChatResponse.extra[ROUTE_KEY]``."""
        return {
            "strategy": self.strategy,
            "deployment": self.deployment,
            "attempts": [
                {
                    "deployment": a.deployment,
                    "error": a.error,
                    "message": a.message,
                    "status": a.status,
                    "seconds": round(a.seconds, 6),
                }
                for a in self.attempts
            ],
            "skipped": [{"deployment": s.deployment, "reason": s.reason} for s in self.skipped],
            "intent": _intent_dict(self.intent),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Route:
        return cls(
            strategy=str(data.get("strategy", "")),
            deployment=data.get("deployment"),
            attempts=tuple(Attempt(**a) for a in data.get("attempts", ())),
            skipped=tuple(Skip(**s) for s in data.get("skipped", ())),
            intent=Intent(**data["intent"]) if data.get("intent") else None,
        )

    @classmethod
    def of(cls, answer: ChatResponse | BaseException) -> Route | None:
        """The route of a routed answer or of the error a routed call raised, else ``None``."""
        if isinstance(answer, BaseException):
            return _ERROR_ROUTES.get(answer)
        data = answer.extra.get(ROUTE_KEY)
        return cls.from_dict(data) if isinstance(data, dict) else None

    def summary(self) -> str:
        """One line for people: ``tried a (RateLimitError, HTTP 429), b (answered)``."""
        parts = []
        for a in self.attempts:
            if a.ok:
                parts.append(f"{a.deployment} (answered)")
            else:
                status = f", HTTP {a.status}" if a.status is not None else ""
                parts.append(f"{a.deployment} ({a.error}{status})")
        parts += [f"{s.deployment} (skipped: {s.reason})" for s in self.skipped]
        line = f"router ({self.strategy}) tried " + (", ".join(parts) or "nothing")
        return f"intent {self.intent.explanation}; {line}" if self.intent else line


def _intent_dict(intent: Intent | None) -> dict[str, Any] | None:
    if intent is None:
        return None
    return {
        "route": intent.route,
        "by": intent.by,
        "explanation": intent.explanation,
        "rule": intent.rule,
        "confidence": None if intent.confidence is None else round(intent.confidence, 6),
    }


def attach(error: BaseException, route: Route) -> None:
    """Give ``error`` its route: a note for people, :meth:`Route.of` for code."""
    _ERROR_ROUTES[error] = route
    error.add_note(route.summary())
