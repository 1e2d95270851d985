"""The admin endpoints: make, list and revoke keys, and report spend — master key only.

``POST /admin/keys`` answers the new key's secret once; nothing else ever shows it, and
the listing (``GET /admin/keys``) shows each key's non-secret prefix. Errors are in
OpenAI's format (the admin API is the gateway's own, and OpenAI's is the common one).
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fluent_ai.server.errors import Failure, invalid_request
from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.keys import digest, expiry, presented
from fluent_ai.server.replies import failed, json_reply
from fluent_ai.server.wires import OpenAIWire
from fluent_ai.types import FluentAIError, InvalidRequestError

WIRE = OpenAIWire()
FIELDS = frozenset({"name", "models", "rpm", "tpm", "budget", "expires"})


class Admin:
    """The handlers, over one gatekeeper."""

    def __init__(self, gate: Gatekeeper) -> None:
        self.gate = gate

    def routes(self) -> list[Route]:
        return [
            Route("/admin/keys", self.create, methods=["POST"]),
            Route("/admin/keys", self.list_keys, methods=["GET"]),
            Route("/admin/keys/{key_id}", self.revoke, methods=["DELETE"]),
            Route("/admin/spend", self.spend, methods=["GET"]),
        ]

    def _refused(self, request: Request) -> Response | None:
        secret = presented(request.headers)
        if secret is None or not hmac.compare_digest(digest(secret), self.gate.master):
            refusal = Failure(401, "authentication", "the admin API needs the master key")
            return failed(WIRE, refusal)
        return None

    async def create(self, request: Request) -> Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        try:
            body: Any = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return failed(WIRE, invalid_request("the body is not JSON"))
        if not isinstance(body, dict):
            return failed(WIRE, invalid_request("the body must be a JSON object"))
        unknown = set(body) - FIELDS
        if unknown:
            return failed(
                WIRE,
                invalid_request(
                    f"unknown field(s) {', '.join(sorted(unknown))}; "
                    f"use {', '.join(sorted(FIELDS))}"
                ),
            )
        models = body.get("models") or []
        if not isinstance(models, list):
            return failed(WIRE, invalid_request("'models' must be a list of served model names"))
        try:
            key, secret = await asyncio.to_thread(
                self.gate.store.create,
                body.get("name", ""),
                models=tuple(models),
                rpm=body.get("rpm"),
                tpm=body.get("tpm"),
                budget=body.get("budget"),
                expires=expiry(body.get("expires")),
            )
        except InvalidRequestError as exc:
            return failed(WIRE, invalid_request(str(exc)))
        except FluentAIError as exc:
            return unavailable(exc)
        self.gate.add(key)
        return json_reply({**key.public(), "key": secret}, status=201)

    async def list_keys(self, request: Request) -> Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        return json_reply({"data": [key.public() for key in self.gate.listed()]})

    async def revoke(self, request: Request) -> Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        key_id = request.path_params["key_id"]
        try:
            found = await asyncio.to_thread(self.gate.store.revoke, key_id)
        except FluentAIError as exc:
            return unavailable(exc)
        if not found:
            return failed(WIRE, Failure(404, "not_found", f"there is no key {key_id!r}"))
        self.gate.revoked(key_id)
        return json_reply({"id": key_id, "revoked": True})

    async def spend(self, request: Request) -> Response:
        """Spend per key and per model, from the store once the last batch is in it."""
        refused = self._refused(request)
        if refused is not None:
            return refused
        await self.gate.flush()
        try:
            rows = await asyncio.to_thread(self.gate.store.spend)
        except FluentAIError as exc:
            return unavailable(exc)
        return json_reply(spend_report(rows))


def unavailable(error: FluentAIError) -> Response:
    """The key store failed (a Postgres server down): a 503 the caller may retry, not
    a 400 that blames the request. The store's errors never hold its password."""
    return failed(WIRE, Failure(503, "internal", f"the key store failed: {error}"))


def spend_report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The store's spend rows, and their totals per key and per model."""
    keys: dict[str, dict[str, Any]] = {}
    models: dict[str, dict[str, Any]] = {}
    for row in rows:
        for table, name in ((keys, row["key_id"]), (models, row["model"])):
            total = table.setdefault(
                name, {"usd": 0.0, "requests": 0, "input_tokens": 0, "output_tokens": 0}
            )
            for field in ("usd", "requests", "input_tokens", "output_tokens"):
                total[field] += row[field]
        keys[row["key_id"]]["name"] = row["name"] or row["key_id"]
    return {"keys": keys, "models": models, "rows": rows}
