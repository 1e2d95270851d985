"""Active health probes: one small call to each deployment, so health need not wait for
users' traffic to learn that a deployment is down, or back.

``await router.probe()`` sends every deployment that may take a call now a one-token
request and records how it went exactly as a user's call is recorded: a fault cools
the deployment down and counts towards opening its circuit, a rate limit cools it for
the ``Retry-After`` the provider sent, an answer counts for its latency — and, when
its circuit is half-open, is the probe call that closes it. So a dead deployment is
found before a user's call is sent to it, and a recovered one is put back by a probe
rather than by a user's call. A deployment refusing calls at that moment (cooling
down, circuit open, at its limits) is passed over and reported as such; no probe
outruns a cooldown.

Each probe costs a prompt of a few tokens and one answer token at the deployment's
prices; how often that is worth it is the caller's choice (a task that calls
:meth:`Router.probe <fluent_ai.engine.Router.probe>` every so often).
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from fluent_ai.engine.failover import verdict
from fluent_ai.engine.member import Member
from fluent_ai.engine.shape import needs
from fluent_ai.types import ChatRequest, FluentAIError, Message, TimeoutError

Outcome = Literal["answered", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """How one deployment answered its probe; ``detail`` is the typed error (class name
    and message) of a failed probe or why a skipped one was passed over."""

    deployment: str
    outcome: Outcome
    seconds: float | None = None
    detail: str | None = None


def probe_request(prompt: str, max_tokens: int) -> ChatRequest:
    return ChatRequest(model="", messages=[Message.user(prompt)], max_tokens=max_tokens)


async def probe_all(
    members: Sequence[Member],
    clock: Callable[[], float],
    *,
    within: float,
    prompt: str = "ping",
    max_tokens: int = 1,
) -> tuple[ProbeResult, ...]:
    """Probe every deployment at once; the results in the deployments' order."""
    request = probe_request(prompt, max_tokens)
    calls = (_probe(member, request, clock, within) for member in members)
    return tuple(await asyncio.gather(*calls))


async def _probe(
    member: Member, request: ChatRequest, clock: Callable[[], float], within: float
) -> ProbeResult:
    wanted, now = needs(request), clock()
    if member.shared is None:
        reason = member.refusal(now, wanted)
        half_open = False if reason is not None else member.begin(now, wanted)
    else:
        reason, half_open = await member.shared.admit(member, now, wanted)
    if reason is not None:
        return ProbeResult(member.name, "skipped", detail=reason)
    start = clock()
    try:
        async with asyncio.timeout(within):
            answer = await member.model.complete(member.prepare(request))
    except builtins.TimeoutError:
        error: FluentAIError = TimeoutError(
            f"deployment {member.name!r} did not answer its probe within {within:g} s",
            provider=member.model.provider,
        )
    except FluentAIError as exc:
        error = exc
    except BaseException:
        member.released(half_open)  # cancelled, or a bug: no verdict on the deployment
        raise
    else:
        done = clock()
        member.succeeded(done, half_open, None, done - start, wanted, answer.usage)
        return ProbeResult(member.name, "answered", seconds=done - start)
    done = clock()
    member.failed(done, half_open, error, verdict(error, ()))
    detail = f"{type(error).__name__}: {error}"
    return ProbeResult(member.name, "failed", seconds=done - start, detail=detail)
