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

from fluent_ai.engine.batch_api import (
    BatchCancelledError,
    BatchExpiredError,
    Result,
    Snapshot,
    Upstream,
    json_object,
    text_field,
)
from fluent_ai.providers.anthropic.errors import error_from
from fluent_ai.providers.capabilities import check_request
from fluent_ai.providers.pricing import model_info
from fluent_ai.types import BadResponseError, ChatRequest, FluentAIError

PATH = "/v1/messages/batches"
MAX_REQUESTS = 100_000
"""The most requests one Message Batch takes; more go in several batches."""


class AnthropicBatch:
    """Anthropic's Message Batches over ``upstream`` (an ``anthropic/…`` model's endpoint)."""

    max_requests = MAX_REQUESTS

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream
        self.provider = upstream.provider
        self._base = upstream.base_url

    def entry(self, custom_id: str, request: ChatRequest) -> dict[str, Any]:
        check_request(self.provider, request, model_info(self.provider, request.model))
        params = self.upstream.model.protocol.encode_request(request, stream=False)
        params.pop("stream", None)
        return {"custom_id": custom_id, "params": params}

    async def submit(self, entries: Sequence[dict[str, Any]]) -> str:
        response = await self.upstream.call(
            "POST", self._base + PATH, json={"requests": list(entries)}
        )
        return text_field(json_object(response, self.provider), "id", self.provider)

    async def status(self, batch_id: str) -> Snapshot:
        response = await self.upstream.call("GET", f"{self._base}{PATH}/{batch_id}")
        body = json_object(response, self.provider)
        status = text_field(body, "processing_status", self.provider)
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
        response = await self.upstream.call("GET", url)
        found: dict[str, Result] = {}
        for line in response.text.splitlines():
            if line.strip():
                custom_id, result = self._line(line, snapshot.batch_id, models)
                found[custom_id] = result
        return found

    async def cancel(self, batch_id: str) -> None:
        await self.upstream.call("POST", f"{self._base}{PATH}/{batch_id}/cancel")

    def missing(self, snapshot: Snapshot, custom_id: str) -> FluentAIError:
        return BadResponseError(
            f"request {custom_id} of Anthropic batch {snapshot.batch_id} is not in its results",
            provider=self.provider,
        )

    def _line(self, line: str, batch_id: str, models: Mapping[str, str]) -> tuple[str, Result]:
        try:
            item = json.loads(line)
            custom_id = str(item["custom_id"])
            result = item["result"]
            kind = result["type"]
        except (ValueError, KeyError, TypeError) as exc:
            raise BadResponseError(
                f"Anthropic batch {batch_id}: a result line is not valid: {line[:200]!r}",
                provider=self.provider,
            ) from exc
        where = f"request {custom_id} of Anthropic batch {batch_id}"
        if kind == "succeeded" and isinstance(result.get("message"), Mapping):
            note = {"provider": self.provider, "batch_id": batch_id, "custom_id": custom_id}
            try:
                return custom_id, self.upstream.answer(
                    result["message"], models.get(custom_id, ""), note
                )
            except FluentAIError as failure:
                return custom_id, failure
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
