"""What one failed attempt means for a routed call: go on, or end it with which error.

The router's sending loop (:mod:`fluent_ai.engine.router`) hands each failure here:
the error is recorded against the deployment's health (by :func:`~fluent_ai.engine.
failover.verdict`) and in the call's :class:`~fluent_ai.engine.trip.Trip`, and the
answer is whether the next deployment gets the call. A stream that breaks after its
first event never goes on: :func:`broken` says what the caller sees instead.
"""

from __future__ import annotations

from fluent_ai.engine.failover import verdict
from fluent_ai.engine.member import Member
from fluent_ai.engine.trip import Trip
from fluent_ai.types import FluentAIError, StreamInterruptedError


def fails_over(
    member: Member,
    probe: bool,
    error: BaseException,
    trip: Trip,
    start: float,
    now: float,
    failover_on: tuple[type[FluentAIError], ...],
) -> bool:
    """Record a failed attempt; ``True`` to go on to the next deployment."""
    if not isinstance(error, Exception):  # cancelled, interrupted: no verdict
        member.released(probe)
        return False
    kind = verdict(error, failover_on)
    if not isinstance(error, FluentAIError):
        member.released(probe)
        return False
    member.failed(now, probe, error, kind)
    if kind == "final":
        trip.stopped(member, error, now - start)
        trip.final(error)
        return False
    trip.failed(member, error, kind, now - start)
    return True


def broken(
    member: Member,
    probe: bool,
    error: Exception,
    trip: Trip,
    start: float,
    now: float,
    failover_on: tuple[type[FluentAIError], ...],
) -> BaseException:
    """The error to raise for a stream that failed after it had started."""
    kind = verdict(error, failover_on)
    if isinstance(error, FluentAIError):
        member.failed(now, probe, error, "final" if kind == "final" else "fault")
    else:
        member.released(probe)
    trip.stopped(member, error, now - start)
    if kind == "final" or isinstance(error, StreamInterruptedError):
        return trip.final(error)
    return trip.final(
        StreamInterruptedError(
            f"the stream from deployment {member.name!r} broke after it had started "
            f"({type(error).__name__}: {error}); it is not sent again elsewhere, since "
            "part of the answer had reached the caller",
            provider=member.model.provider,
            status=error.status if isinstance(error, FluentAIError) else None,
        )
    )
