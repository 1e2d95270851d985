"""What the vendors' batch envelopes share, so that each vendor module holds only its wire.

OpenAI's and Anthropic's batch APIs differ in their URLs, bodies and result shapes, but
both take each item as the chat endpoint's own body (checked against the model's
capabilities first, and never streamed), both answer their envelope calls with JSON
objects, both return a JSON-lines file of results matched to requests by ``custom_id``
in any order, and both give an item's answer as the chat endpoint would have given it.
:class:`VendorBatch` does those once; :mod:`~fluent_ai.engine.batch_openai` and
:mod:`~fluent_ai.engine.batch_anthropic` say the rest. Driving a batch (submit, poll,
collect, cancel) is :mod:`~fluent_ai.engine.batch_api`'s.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from fluent_ai.engine.batch_api import Result, Upstream
from fluent_ai.providers.capabilities import check_request
from fluent_ai.providers.pricing import model_info
from fluent_ai.types import BadResponseError, ChatRequest, FluentAIError


class VendorBatch(ABC):
    """A vendor's batch envelope over ``upstream``; a subclass names the vendor (as its
    errors say it), its most requests per batch, and reads one result line."""

    vendor: str
    max_requests: int

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream
        self.provider = upstream.provider
        self._base = upstream.base_url

    def chat_body(self, request: ChatRequest) -> dict[str, Any]:
        """``request`` as the chat endpoint takes it, whole: the model is checked first,
        so a request it cannot take is a typed error now, not a failed item a day later."""
        check_request(self.provider, request, model_info(self.provider, request.model))
        body = self.upstream.model.protocol.encode_request(request, stream=False)
        body.pop("stream", None)
        body.pop("stream_options", None)
        return body

    async def call_json(self, method: str, url: str, **sent: Any) -> Mapping[str, Any]:
        """One envelope call (:meth:`Upstream.call`), whose answer must be a JSON object."""
        response = await self.upstream.call(method, url, **sent)
        try:
            body = response.json()
        except ValueError as exc:
            raise BadResponseError(
                f"expected a JSON object, got {response.content[:200]!r}", provider=self.provider
            ) from exc
        if not isinstance(body, dict):
            raise BadResponseError(
                f"expected a JSON object, got {type(body).__name__}", provider=self.provider
            )
        return body

    def text_field(self, body: Mapping[str, Any], key: str) -> str:
        """``body[key]``, which must be a non-empty string (an id, a status)."""
        value = body.get(key)
        if not isinstance(value, str) or not value:
            raise BadResponseError(
                f"expected a string {key!r} in {dict(body)!r:.200}", provider=self.provider
            )
        return value

    async def read_results(
        self, url: str, batch_id: str, models: Mapping[str, str]
    ) -> dict[str, Result]:
        """Every item's outcome in the JSON-lines file at ``url``, by ``custom_id``."""
        response = await self.upstream.call("GET", url)
        found: dict[str, Result] = {}
        for line in response.text.splitlines():
            if line.strip():
                custom_id, result = self.read_line(line, batch_id, models)
                found[custom_id] = result
        return found

    @abstractmethod
    def read_line(self, line: str, batch_id: str, models: Mapping[str, str]) -> tuple[str, Result]:
        """One result line's ``custom_id`` and outcome (the vendor's wire)."""

    def answered(
        self, body: Mapping[str, Any], batch_id: str, custom_id: str, models: Mapping[str, str]
    ) -> Result:
        """An item's answer body, decoded and priced as a direct call's would be and noted
        with its batch; a body the decoder refuses is that item's error, not the batch's."""
        note = {"provider": self.provider, "batch_id": batch_id, "custom_id": custom_id}
        try:
            return self.upstream.answer(body, models.get(custom_id, ""), note)
        except FluentAIError as failure:
            return failure

    def invalid(self, line: str, batch_id: str) -> BadResponseError:
        """The error for a result line that cannot be read at all."""
        return BadResponseError(
            f"{self.vendor} batch {batch_id}: a result line is not valid: {line[:200]!r}",
            provider=self.provider,
        )

    def where(self, custom_id: str, batch_id: str) -> str:
        """How errors name one item."""
        return f"request {custom_id} of {self.vendor} batch {batch_id}"
