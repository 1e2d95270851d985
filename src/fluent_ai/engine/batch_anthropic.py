"""Anthropic's Message Batches API, as a :class:`~fluent_ai.engine.batch_api.BatchAPI`.

The envelope (https://docs.anthropic.com/en/api/creating-message-batches):

1. ``POST /v1/messages/batches`` with ``{"requests": [{"custom_id", "params"}]}``, each
   ``params`` a Messages API body;
2. poll ``GET /v1/messages/batches/{id}``: ``processing_status`` is ``in_progress``,
   ``canceling``, then ``ended``; ``request_counts`` tallies ``processing``,
   ``succeeded``, ``errored``, ``canceled`` and ``expired``;
3. once ended, read the JSON-lines file at ``results_url``: one ``{"custom_id",
   "result"}`` per item, ``result.type`` being ``succeeded`` (with ``message``, a
   Messages answer), ``errored`` (with ``error``, an error body), ``canceled`` or
   ``expired``. Lines come in any order.

``POST /v1/messages/batches/{id}/cancel`` cancels. The key is sent to ``results_url``
only when it is on the API's own host: a URL elsewhere is refused rather than handed
the key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from fluent_ai.engine.batch_api import BatchCancelledError, BatchExpiredError, Result, Snapshot
from fluent_ai.engine.batch_vendor import VendorBatch
from fluent_ai.providers.anthropic.errors import error_from
from fluent_ai.types import BadResponseError, ChatRequest, FluentAIError

PATH = "/v1/messages/batches"
MAX_REQUESTS = 100_000
"""The most requests one Message Batch takes; more go in several batches."""


class AnthropicBatch(VendorBatch):
    """Anthropic's Message Batches over ``upstream`` (an ``anthropic/…`` model's endpoint)."""

    vendor = "Anthropic"
    max_requests = MAX_REQUESTS

    def entry(self, custom_id: str, request: ChatRequest) -> dict[str, Any]:
        return {"custom_id": custom_id, "params": self.chat_body(request)}

    async def submit(self, entries: Sequence[dict[str, Any]]) -> str:
        created = await self.call_json("POST", self._base + PATH, json={"requests": list(entries)})
        return self.text_field(created, "id")

    async def status(self, batch_id: str) -> Snapshot:
        body = await self.call_json("GET", f"{self._base}{PATH}/{batch_id}")
        status = self.text_field(body, "processing_status")
        counts = body.get("request_counts") or {}
        tally = {
            k: int(counts.get(k) or 0)
            for k in ("processing", "succeeded", "errored", "canceled", "expired")
        }
        errors = tally["errored"] + tally["canceled"] + tally["expired"]
        return Snapshot(
            batch_id=batch_id,
            status=status,
            ended=status == "ended",
            done=tally["succeeded"] + errors,
            errors=errors,
            total=sum(tally.values()),
            raw=body,
        )

    async def results(self, snapshot: Snapshot, models: Mapping[str, str]) -> dict[str, Result]:
        url = snapshot.raw.get("results_url")
        if not isinstance(url, str) or not url:
            raise BadResponseError(
                f"Anthropic batch {snapshot.batch_id} ended with no results_url",
                provider=self.provider,
            )
        if _origin(url) != _origin(self._base):
            raise BadResponseError(
                f"Anthropic batch {snapshot.batch_id}: results_url {url!r} is not on "
                f"{_origin(self._base)}; the API key is not sent elsewhere",
                provider=self.provider,
            )
        return await self.read_results(url, snapshot.batch_id, models)

    async def cancel(self, batch_id: str) -> None:
        await self.upstream.call("POST", f"{self._base}{PATH}/{batch_id}/cancel")

    def missing(self, snapshot: Snapshot, custom_id: str) -> FluentAIError:
        return BadResponseError(
            f"{self.where(custom_id, snapshot.batch_id)} is not in its results",
            provider=self.provider,
        )

    def read_line(self, line: str, batch_id: str, models: Mapping[str, str]) -> tuple[str, Result]:
        try:
            item = json.loads(line)
            custom_id = str(item["custom_id"])
            result = item["result"]
            kind = result["type"]
        except (ValueError, KeyError, TypeError) as exc:
            raise self.invalid(line, batch_id) from exc
        where = self.where(custom_id, batch_id)
        if kind == "succeeded" and isinstance(result.get("message"), Mapping):
            return custom_id, self.answered(result["message"], batch_id, custom_id, models)
        if kind == "errored":
            body = result.get("error")
            # An error body {"type": "error", "error": {"type", "message"}}, as the
            # Messages endpoint answers; a bare error object is taken as well.
            detail = body.get("error") if isinstance(body, Mapping) and "error" in body else body
            return custom_id, error_from(detail, status=None, body=body)
        if kind == "expired":
            return custom_id, BatchExpiredError(
                f"{where} was not processed before the batch expired (24 h); send it again",
                provider=self.provider,
                code="expired",
            )
        if kind == "canceled":
            return custom_id, BatchCancelledError(
                f"{where} was not processed: the batch was cancelled",
                provider=self.provider,
                code="canceled",
            )
        return custom_id, BadResponseError(
            f"{where}: unknown result type {kind!r}", provider=self.provider
        )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
