"""Routing by intent inside the router: which group a call goes to when it names none.

A router given an :class:`~fluent_ai.engine.intent.IntentRouter` asks it about every
call that names no tags (neither ``tags=`` nor the request's ``fluent_ai.tags``
metadata): the route the intent router decides is a tag, and the call goes to the
deployments that carry it. Tags the caller names always win, so a caller that knows
where a request belongs pays for no decision.

The decision's ``default`` route is the one exception to "a route is a tag": when no
deployment carries it, it means every deployment, so an intent router whose rules
pick out a few special groups needs no tag on the general ones. Any other route that
no deployment carries is a configuration mistake, reported with the decision that
made it. The decision, with its explanation, is reported in the call's route
(:class:`~fluent_ai.engine.route.Intent`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluent_ai.engine.route import Intent
from fluent_ai.engine.shape import without_tags
from fluent_ai.types import ChatRequest, ConfigurationError

if TYPE_CHECKING:
    from fluent_ai.engine.intent import Decision, IntentRouter
    from fluent_ai.engine.member import Member
    from fluent_ai.engine.plan import Plan


async def by_intent(
    plan: Plan, intents: IntentRouter, request: ChatRequest
) -> tuple[ChatRequest, tuple[Member, ...], Intent | None]:
    """The request without routing metadata, its deployments, and the intent that chose
    them (``None`` when the request named its tags itself)."""
    stripped, named = without_tags(request)
    if named:
        return (*plan.select(stripped, named), None)
    # The intent router reads the request as the caller sent it (a rule may test metadata).
    decision = await intents.explain(request)
    route = decision.route
    tagged = any(route in member.tags for member in plan.members)
    if not tagged and route != intents.default:
        known = sorted({t for m in plan.members for t in m.tags})
        raise ConfigurationError(
            f"the intent router sent this request to {route!r} ({decision}), but no "
            f"deployment has the tag {route!r} (the tags in use are "
            f"{', '.join(known) or 'none'}): tag a deployment {route!r}, or change the "
            "rule or examples that name it"
        )
    selected, group = plan.select(stripped, [route] if tagged else [])
    return selected, group, intent_of(decision)


def intent_of(decision: Decision) -> Intent:
    """The decision as the route report keeps it."""
    return Intent(
        route=decision.route,
        by=decision.by,
        explanation=str(decision),
        rule=decision.rule,
        confidence=decision.confidence,
    )
