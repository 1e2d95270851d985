"""Many chat requests at once: :func:`batch` (any model or router) and ``Router.batch``.

Two ways to answer them, each returning one outcome per request, in the order given: the
:class:`~fluent_ai.types.ChatResponse`, or the typed error that stopped that request
(one failure never stops the others).

* **A vendor's batch API** (``mode="api"``): OpenAI's Batch API and Anthropic's Message
  Batches take every request in one submission and answer within 24 h at half the
  price (:mod:`~fluent_ai.engine.batch_api`). The requests are submitted, polled with
  backoff (:class:`~fluent_ai.engine.batch_api.Polling`) and collected; cancelling the
  calling task cancels the remote batch too.
* **Concurrently** (``mode="concurrent"``, the default): each request is an ordinary
  call (through a router: with its strategy, failover and health), at most
  ``concurrency`` in flight at once.

Why ``"concurrent"`` is the default and ``"auto"`` has to be asked for: a batch API may
take up to a day. Code that awaits ``router.batch(requests)`` in a request handler or a
script must not silently wait hours to save half the price; choosing ``"auto"`` is the
caller saying that latency is fine. ``"auto"`` then uses the batch APIs when every
request can go to one (each maps to a deployment, or the model, with a batch API), and
runs concurrently otherwise: never half of one way and half of the other, so that one
call has one latency. ``"api"`` insists, and raises :class:`ConfigurationError` naming
the requests that no batch API can take.

Through a router, each request in a batch API goes to the first deployment, in the
order the router was given, that its tags (or its intent, with ``intents=``) select,
that fits it (context window, images, tools) and that has a batch API; there is no
failover within a remote batch, and its results do not count in the deployments' live
health.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Literal, cast, get_args

from fluent_ai._sync import run_sync
from fluent_ai.engine.batch_api import (
    BatchCancelledError,
    BatchExpiredError,
    BatchFailedError,
    Polling,
    Result,
)
from fluent_ai.engine.batch_concurrent import run_concurrent
from fluent_ai.engine.batch_jobs import assign, by_api
from fluent_ai.engine.batch_progress import BatchProgress, ProgressCallback, Tally
from fluent_ai.providers.base import ChatModel
from fluent_ai.types import ChatRequest, ChatResponse, ConfigurationError, FluentAIError

if TYPE_CHECKING:
    from fluent_ai.engine.router import Router

__all__ = [
    "BatchCancelledError",
    "BatchExpiredError",
    "BatchFailedError",
    "BatchProgress",
    "Batching",
    "Mode",
    "Polling",
    "batch",
    "batch_sync",
]

Mode = Literal["auto", "api", "concurrent"]
DEFAULT_CONCURRENCY = 8


async def batch(
    target: ChatModel,
    requests: Iterable[ChatRequest],
    *,
    mode: Mode = "concurrent",
    concurrency: int = DEFAULT_CONCURRENCY,
    tags: Sequence[str] | None = None,
    polling: Polling | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[Result]:
    """Answer ``requests`` with ``target`` (a model or a router); see the module docstring.

    ``concurrency`` caps the calls in flight in the concurrent way (through a router
    whose deployments all set ``max_in_flight``, also their sum); ``tags`` select a
    router's deployments; ``polling`` sets how often a batch API is asked;
    ``on_progress`` gets a :class:`~fluent_ai.engine.batch_progress.BatchProgress`
    after each request settles (concurrent) or each poll (batch API).
    """
    if mode not in get_args(Mode):
        raise ConfigurationError(f"mode must be one of {', '.join(get_args(Mode))}; got {mode!r}")
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be 1 or more; got {concurrency}")
    from fluent_ai.engine.router import Router  # here: the router module imports this one

    router = target if isinstance(target, Router) else None
    if tags is not None and router is None:
        raise ConfigurationError("tags= select a router's deployments; this is not a router")
    items = list(requests)
    tally = Tally(len(items), on_progress)
    if not items:
        return []
    if mode != "concurrent":
        assigned, refused = await assign(target, router, items, tags)
        if not refused:
            return await by_api(assigned, len(items), polling or Polling(), tally)
        if mode == "api":
            shown = "; ".join(refused[:5]) + (
                f"; and {len(refused) - 5} more" if len(refused) > 5 else ""
            )
            raise ConfigurationError(
                f"mode='api': {len(refused)} of {len(items)} requests have no batch API to go to "
                f"({shown}); batch APIs exist for openai/… and anthropic/… models; "
                "use mode='auto' to run such calls concurrently"
            )
    if router is not None:
        limit = _router_limit(router, tags, concurrency)
        return await run_concurrent(partial(router.complete, tags=tags), items, limit, tally)
    return await run_concurrent(target.complete, items, concurrency, tally)


def batch_sync(
    target: ChatModel,
    requests: Iterable[ChatRequest],
    *,
    mode: Mode = "concurrent",
    concurrency: int = DEFAULT_CONCURRENCY,
    tags: Sequence[str] | None = None,
    polling: Polling | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[Result]:
    """Sync twin of :func:`batch`.

    Ctrl-C cancels the call on the background loop, which cancels the remote batches;
    the interrupt is raised once that is done (or after ``polling.cancel_timeout``), so a
    script that ends on it does not end before the cancel request has gone out.
    """
    settled = threading.Event()

    async def run() -> list[Result]:
        try:
            return await batch(
                target,
                requests,
                mode=mode,
                concurrency=concurrency,
                tags=tags,
                polling=polling,
                on_progress=on_progress,
            )
        finally:
            settled.set()

    try:
        return run_sync(run())
    except KeyboardInterrupt:
        settled.wait((polling or Polling()).cancel_timeout)
        raise


class Batching:
    """``batch`` and ``batch_sync`` as methods of a router (:func:`batch` on itself)."""

    async def batch(
        self,
        requests: Iterable[ChatRequest],
        *,
        mode: Mode = "concurrent",
        concurrency: int = DEFAULT_CONCURRENCY,
        tags: Sequence[str] | None = None,
        polling: Polling | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> list[ChatResponse | FluentAIError]:
        """Answer many requests, by batch API or concurrently: see :func:`batch`."""
        return await batch(
            cast(ChatModel, self),
            requests,
            mode=mode,
            concurrency=concurrency,
            tags=tags,
            polling=polling,
            on_progress=on_progress,
        )

    def batch_sync(
        self,
        requests: Iterable[ChatRequest],
        *,
        mode: Mode = "concurrent",
        concurrency: int = DEFAULT_CONCURRENCY,
        tags: Sequence[str] | None = None,
        polling: Polling | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> list[ChatResponse | FluentAIError]:
        """Sync twin of :meth:`batch`."""
        return batch_sync(
            cast(ChatModel, self),
            requests,
            mode=mode,
            concurrency=concurrency,
            tags=tags,
            polling=polling,
            on_progress=on_progress,
        )


def _router_limit(router: Router, tags: Sequence[str] | None, concurrency: int) -> int:
    """``concurrency``, or less when the selected deployments cannot take that many."""
    wanted = set(tags or ())
    caps = [d.max_in_flight for d in router.deployments if wanted <= set(d.tags)]
    if caps and all(c is not None for c in caps):
        return max(1, min(concurrency, sum(c for c in caps if c is not None)))
    return concurrency
