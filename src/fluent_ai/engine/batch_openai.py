"""OpenAI's Batch API for Chat Completions, as a :class:`~fluent_ai.engine.batch_api.BatchAPI`.

The envelope (https://platform.openai.com/docs/guides/batch):

1. upload the requests as a JSON-lines file, ``POST /v1/files`` (multipart, with
   ``purpose=batch``), one ``{"custom_id", "method": "POST", "url":
   "/v1/chat/completions", "body"}`` per line;
2. ``POST /v1/batches`` with ``input_file_id``, ``endpoint`` and ``completion_window:
   "24h"``;
3. poll ``GET /v1/batches/{id}``: ``status`` goes ``validating``, ``in_progress``,
   ``finalizing``, then ends as ``completed``, ``expired``, ``cancelled`` or ``failed``
   (the input was refused: ``errors.data`` says why, by line);
4. download ``GET /v1/files/{output_file_id}/content`` (answers) and
   ``error_file_id``'s (failed items: ``response.status_code`` and ``body`` as the chat
   endpoint would have answered, or ``error.code`` such as ``batch_expired``). Lines
   come in any order; ``custom_id`` matches them to the requests.

``POST /v1/batches/{id}/cancel`` cancels. Answers are decoded by the protocol's own
response decoder and errors by its error mapping, so an item's answer or error is what
a direct call would have given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from fluent_ai.engine.batch_api import (
    BatchCancelledError,
    BatchExpiredError,
    BatchFailedError,
    Result,
    Snapshot,
)
from fluent_ai.engine.batch_vendor import VendorBatch
from fluent_ai.types import BadResponseError, ChatRequest, FluentAIError, ProviderError

ENDPOINT = "/v1/chat/completions"
ENDED = frozenset({"completed", "expired", "cancelled", "failed"})
MAX_REQUESTS = 50_000
"""The most requests one OpenAI batch takes; more go in several batches."""


class OpenAIBatch(VendorBatch):
    """OpenAI's Batch API over ``upstream`` (an ``openai/…`` model's endpoint and key)."""

    vendor = "OpenAI"
    max_requests = MAX_REQUESTS

    def entry(self, custom_id: str, request: ChatRequest) -> dict[str, Any]:
        body = self.chat_body(request)
        return {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}

    async def submit(self, entries: Sequence[dict[str, Any]]) -> str:
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
        upload = httpx.Request(
            "POST",
            self._base + "/files",
            data={"purpose": "batch"},
            files={"file": ("batch.jsonl", lines.encode(), "application/jsonl")},
        )
        content = upload.read()
        headers = {"content-type": upload.headers["content-type"]}
        file = await self.call_json("POST", self._base + "/files", content=content, headers=headers)
        created = await self.call_json(
            "POST",
            self._base + "/batches",
            json={
                "input_file_id": self.text_field(file, "id"),
                "endpoint": ENDPOINT,
                "completion_window": "24h",
            },
        )
        return self.text_field(created, "id")

    async def status(self, batch_id: str) -> Snapshot:
        body = await self.call_json("GET", f"{self._base}/batches/{batch_id}")
        status = self.text_field(body, "status")
        counts = body.get("request_counts") or {}
        failed = int(counts.get("failed") or 0)
        return Snapshot(
            batch_id=batch_id,
            status=status,
            ended=status in ENDED,
            done=int(counts.get("completed") or 0) + failed,
            errors=failed,
            total=int(counts.get("total") or 0),
            raw=body,
        )

    async def results(self, snapshot: Snapshot, models: Mapping[str, str]) -> dict[str, Result]:
        if snapshot.status == "failed":
            return {}  # refused as a whole: every item is "missing", see missing()
        found: dict[str, Result] = {}
        for key in ("output_file_id", "error_file_id"):
            file_id = snapshot.raw.get(key)
            if file_id:
                url = f"{self._base}/files/{file_id}/content"
                found.update(await self.read_results(url, snapshot.batch_id, models))
        return found

    async def cancel(self, batch_id: str) -> None:
        await self.upstream.call("POST", f"{self._base}/batches/{batch_id}/cancel")

    def missing(self, snapshot: Snapshot, custom_id: str) -> FluentAIError:
        where = self.where(custom_id, snapshot.batch_id)
        if snapshot.status == "expired":
            return BatchExpiredError(
                f"{where} was not processed within the 24 h completion window; send it again",
                provider=self.provider,
            )
        if snapshot.status == "cancelled":
            return BatchCancelledError(
                f"{where} was not processed: the batch was cancelled", provider=self.provider
            )
        if snapshot.status == "failed":
            return BatchFailedError(
                f"OpenAI refused batch {snapshot.batch_id}: {_refusals(snapshot.raw)}",
                provider=self.provider,
            )
        return BadResponseError(
            f"{where} is in neither the output nor the error file", provider=self.provider
        )

    def read_line(self, line: str, batch_id: str, models: Mapping[str, str]) -> tuple[str, Result]:
        try:
            item = json.loads(line)
            custom_id = str(item["custom_id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise self.invalid(line, batch_id) from exc
        response = item.get("response")
        error = item.get("error")
        if isinstance(response, Mapping) and isinstance(response.get("body"), Mapping):
            status = int(response.get("status_code") or 200)
            body = response["body"]
            if status < 400 and not error:
                return custom_id, self.answered(body, batch_id, custom_id, models)
            model = models.get(custom_id, "")
            return custom_id, self.upstream.error(status, json.dumps(body).encode(), model)
        return custom_id, _item_error(error, self.where(custom_id, batch_id), self.provider)


def _item_error(error: Any, where: str, provider: str) -> FluentAIError:
    """The typed error for an item that failed with no answer (``error.code``)."""
    detail = error if isinstance(error, Mapping) else {}
    code = str(detail.get("code") or "")
    message = f"{where}: {detail.get('message') or 'failed with no message'}"
    if code == "batch_expired":
        return BatchExpiredError(message, provider=provider, code=code, body=detail)
    if code == "batch_cancelled":
        return BatchCancelledError(message, provider=provider, code=code, body=detail)
    return ProviderError(message, provider=provider, code=code or None, body=detail)


def _refusals(body: Mapping[str, Any]) -> str:
    errors = body.get("errors")
    data = errors.get("data") if isinstance(errors, Mapping) else None
    if not isinstance(data, list) or not data:
        return "no reason given"
    said = [
        f"line {e.get('line')}: {e.get('message')} ({e.get('code')})"
        if e.get("line")
        else f"{e.get('message')} ({e.get('code')})"
        for e in data[:5]
        if isinstance(e, Mapping)
    ]
    more = f"; and {len(data) - 5} more" if len(data) > 5 else ""
    return "; ".join(said) + more
