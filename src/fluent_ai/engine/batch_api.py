"""A vendor's batch API, driven: submit, poll with backoff, collect, cancel if stopped.

A batch API takes many requests at once and answers within a completion window (24 h
for OpenAI and Anthropic) at half the price. Each vendor's envelope lives in a module of
its own (:mod:`~fluent_ai.engine.batch_openai`, :mod:`~fluent_ai.engine.batch_anthropic`,
with what their wires share in :mod:`~fluent_ai.engine.batch_vendor`) behind the small
:class:`BatchAPI` protocol; :func:`run_job` here is what they all share: poll until
the batch ends, report progress on every poll, fetch the results, and, when the
caller's task is cancelled (``task.cancel()``, ``asyncio.timeout``, Ctrl-C in a sync
twin), cancel the remote batch too, so that it stops costing money, and say so on the
``CancelledError`` (a note) and in the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from fluent_ai.providers.pricing import cost_usd
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    ConfigurationError,
    FluentAIError,
    ProviderError,
    collect_events,
)

logger = logging.getLogger(__name__)

BATCH_PRICE = 0.5
"""Batch calls cost half the usual price at both vendors (OpenAI: "a 50% cost discount";
Anthropic: "50% of standard API prices"), so an answer's ``cost_usd`` is halved."""

BATCH_KEY = "fluent_ai.batch"
"""``ChatResponse.extra`` key saying which remote batch answered: provider, batch id,
the item's ``custom_id`` and, through a router, the deployment."""

Result = ChatResponse | FluentAIError
"""One item's outcome: its answer, or the typed error that stopped it."""


class BatchExpiredError(ProviderError):
    """The batch's completion window (24 h) ended before this item was processed.

    Nothing was charged for it; sending it again (in a new batch, or directly) may work.
    """

    retryable = True


class BatchCancelledError(ProviderError):
    """The batch was cancelled before this item was processed."""


class BatchFailedError(ProviderError):
    """The vendor refused the batch as a whole (its input failed validation), or it
    could not be followed to its end; every item in it gets this error. (A batch that
    could not be submitted at all gives each item the typed error of that refusal.)"""


@dataclass(frozen=True)
class Polling:
    """How often to ask a vendor whether a batch has ended.

    The first poll comes ``interval`` seconds after submitting; each wait is then
    ``backoff`` times longer, up to ``max_interval``: a batch that ends in seconds is seen
    soon, one that takes hours costs a poll a minute. ``max_poll_errors`` consecutive
    failed polls (a 5xx, a dropped connection) give up on following the batch, which
    goes on running remotely; its id is in the error.
    """

    interval: float = 5.0
    max_interval: float = 60.0
    backoff: float = 1.5
    max_poll_errors: int = 5
    cancel_timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.interval <= 0 or self.max_interval < self.interval or self.backoff < 1:
            raise ConfigurationError(
                "Polling needs interval > 0, max_interval >= interval and backoff >= 1; "
                f"got interval={self.interval}, max_interval={self.max_interval}, "
                f"backoff={self.backoff}"
            )


@dataclass(frozen=True)
class Snapshot:
    """A batch's state as one poll saw it, in the vendor's own words and counts."""

    batch_id: str
    status: str
    ended: bool
    done: int
    errors: int
    total: int
    raw: Mapping[str, Any]


class BatchAPI(Protocol):
    """One vendor's batch envelope over one :class:`Upstream`."""

    provider: str
    max_requests: int

    def entry(self, custom_id: str, request: ChatRequest) -> dict[str, Any]:
        """The item as the vendor's batch input takes it (raises a typed error if bad)."""
        ...

    async def submit(self, entries: Sequence[dict[str, Any]]) -> str:
        """Create the batch; its id."""
        ...

    async def status(self, batch_id: str) -> Snapshot: ...

    async def results(self, snapshot: Snapshot, models: Mapping[str, str]) -> dict[str, Result]:
        """Every item's outcome that the ended batch reports, by ``custom_id``;
        ``models`` names each item's model, to price its answer."""
        ...

    async def cancel(self, batch_id: str) -> None: ...

    def missing(self, snapshot: Snapshot, custom_id: str) -> FluentAIError:
        """The error for an item the ended batch reports nothing for."""
        ...


class Upstream:
    """The endpoint, key and HTTP client of one :class:`HttpChatModel`, for the batch
    calls that sit beside its chat endpoint; the key stays out of every error."""

    def __init__(self, model: HttpChatModel) -> None:
        self.model = model
        self.provider = model.provider
        self.base_url = model.base_url
        # The model's own headers and error mapping: the same key and redaction as its
        # chat calls, with no second copy of the key kept here.
        self._headers: Mapping[str, str] = model._headers
        self._error = model._error

    async def call(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One envelope call; a typed error for any status of 400 or more."""
        response = await self.model.client.request(
            method,
            url,
            headers={**self._headers, **(headers or {})},
            json=json,
            content=content,
            provider=self.provider,
        )
        if response.status_code >= 400:
            raise self._error(response, "")
        return response

    def error(self, status: int, body: bytes, model: str) -> ProviderError:
        """The typed error for one item's failed answer, as the chat endpoint maps it."""
        return self._error(httpx.Response(status, content=body), model)

    def answer(self, body: Mapping[str, Any], model: str, note: dict[str, Any]) -> ChatResponse:
        """One item's answer body, decoded as the chat endpoint's answer would be."""
        response = collect_events(self.model.protocol.decode_response(body))
        full = cost_usd(self.provider, model, response.usage)
        cost = None if full is None else full * BATCH_PRICE
        extra = {**response.extra, BATCH_KEY: note}
        return response.model_copy(
            update={"provider": self.provider, "cost_usd": cost, "extra": extra}
        )


async def run_job(
    api: BatchAPI,
    entries: Sequence[dict[str, Any]],
    models: Mapping[str, str],
    polling: Polling,
    report: Callable[[Snapshot], None],
    said: Callable[[str], None],
) -> dict[str, Result]:
    """Submit ``entries`` as one batch, follow it to its end, and return every item's
    outcome by ``custom_id``. Cancelling the calling task cancels the remote batch, and
    what came of that is told to ``said`` and noted on the ``CancelledError``."""
    ids = [str(e["custom_id"]) for e in entries]
    try:
        batch_id = await api.submit(entries)
    except FluentAIError as error:  # refused (a bad key, a rate limit): each item's error
        return dict.fromkeys(ids, error)
    except asyncio.CancelledError as cancelled:
        note = (
            f"fluent-ai: cancelled while submitting a {api.provider} batch; if the vendor "
            "had created it already, it runs on: see the vendor's list of batches"
        )
        cancelled.add_note(note)
        said(note)
        raise
    logger.info("submitted %s batch %s with %d requests", api.provider, batch_id, len(ids))
    try:
        snapshot = await _follow(api, batch_id, polling, report)
        found = await api.results(snapshot, models)
    except asyncio.CancelledError as cancelled:
        note = await _cancel_remote(api, batch_id, polling)
        cancelled.add_note(note)
        said(note)
        raise
    except FluentAIError as error:
        lost = BatchFailedError(
            f"the {api.provider} batch {batch_id} could not be followed ({error}); it may "
            "still be running remotely",
            provider=api.provider,
            status=error.status,
        )
        return dict.fromkeys(ids, lost)
    return {i: found[i] if i in found else api.missing(snapshot, i) for i in ids}


async def _follow(
    api: BatchAPI, batch_id: str, polling: Polling, report: Callable[[Snapshot], None]
) -> Snapshot:
    """Poll until the batch ends, waiting longer each time (see :class:`Polling`)."""
    delay = polling.interval
    errors = 0
    while True:
        await asyncio.sleep(delay)
        delay = min(delay * polling.backoff, polling.max_interval)
        try:
            snapshot = await api.status(batch_id)
        except FluentAIError as error:
            errors += 1
            if not error.retryable or errors >= polling.max_poll_errors:
                raise
            logger.warning(
                "polling %s batch %s failed (%s); trying again", api.provider, batch_id, error
            )
            continue
        errors = 0
        report(snapshot)
        if snapshot.ended:
            return snapshot


async def _cancel_remote(api: BatchAPI, batch_id: str, polling: Polling) -> str:
    """Ask the vendor to cancel ``batch_id``; what came of it, to tell the caller."""
    try:
        async with asyncio.timeout(polling.cancel_timeout):
            await api.cancel(batch_id)
    except (FluentAIError, TimeoutError) as error:
        note = (
            f"fluent-ai: cancelling the remote {api.provider} batch {batch_id} failed "
            f"({error}); it may still be running: cancel it by hand"
        )
        logger.warning(note)
    else:
        note = f"fluent-ai: the remote {api.provider} batch {batch_id} was cancelled too"
        logger.info(note)
    return note
