"""The gateway as an ASGI application: one model table, two wire formats.

:func:`create_app` serves the chat models it is given by name (a
:class:`~fluent_ai.engine.Router` each, typically: fallbacks, limits and health come
from there) at OpenAI's ``/v1/chat/completions`` and Anthropic's ``/v1/messages``,
so either kind of client reaches any model, and the embedding models it is given at
OpenAI's ``/v1/embeddings``. The caller's ``model`` picks the entry.

A stream's first event is awaited before the response starts, so a call that fails
before any answer (every deployment down, a bad request upstream) still gets its HTTP
status; after that a failure ends the stream with the format's error event, never
with a clean finish.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fluent_ai.embeddings import EmbeddingModel
from fluent_ai.engine.route import ROUTE_KEY
from fluent_ai.engine.telemetry import tracer
from fluent_ai.providers.base import ChatModel
from fluent_ai.server.admin import Admin
from fluent_ai.server.body import json_body
from fluent_ai.server.dispatch import HotRoutes, hot
from fluent_ai.server.embeddings import checked, embeddings_body, texts_of
from fluent_ai.server.errors import Failure, invalid_request
from fluent_ai.server.gatekeeper import Gatekeeper
from fluent_ai.server.observe import Observer, Telemetry, flush_access_log, noted
from fluent_ai.server.replies import deployment_of, failed, json_reply, logged
from fluent_ai.server.streaming import stream_reply
from fluent_ai.server.tokens import ESTIMATED, EXACT, Counters, estimated_tokens
from fluent_ai.server.wires import AnthropicWire, OpenAIWire, ResponsesWire, Wire
from fluent_ai.types import FluentAIError

log = logging.getLogger("fluent_ai.server")

Served = TypeVar("Served", ChatModel, EmbeddingModel)

MAX_BODY = 16 * 1024 * 1024
"""The largest request body taken by default, in bytes: room for a few images."""


class Gateway:
    """The request handlers over the tables of served chat and embedding models."""

    def __init__(
        self,
        models: Mapping[str, ChatModel],
        *,
        embedders: Mapping[str, EmbeddingModel] | None = None,
        max_body: int = MAX_BODY,
        keys: Gatekeeper | None = None,
        shared_metrics: Path | None = None,
    ) -> None:
        self.models = dict(models)
        self.counters = Counters(self.models)
        self.embedders = dict(embedders or {})
        self.max_body = max_body
        self.telemetry = Telemetry(shared_metrics)
        self.keys = keys
        if keys is not None:
            keys.serve({**self.embedders, **self.models})
            self.telemetry.account = keys.charge
        self.ready = False
        self.openai: Wire = OpenAIWire()
        self.anthropic: Wire = AnthropicWire()
        self.responses_wire: Wire = ResponsesWire()

    async def chat_completions(self, request: Request) -> Response:
        return await self.chat(request, self.openai)

    async def messages(self, request: Request) -> Response:
        return await self.chat(request, self.anthropic)

    async def responses(self, request: Request) -> Response:
        return await self.chat(request, self.responses_wire)

    async def list_models(self, request: Request) -> Response:
        data = [
            {"id": name, "object": "model", "created": 0, "owned_by": "fluent-ai"}
            for name in (*self.models, *self.embedders)
        ]
        return json_reply({"object": "list", "data": data})

    async def embeddings(self, request: Request) -> Response:
        wire = self.openai
        found = await self._asked(request, wire, self.embedders, "embedding model")
        if isinstance(found, Response):
            return found
        body, name, model = found
        texts = texts_of(body)
        if isinstance(texts, Failure):
            return failed(wire, texts)
        refused = checked(body, model, name)
        if refused is not None:
            return failed(wire, refused)
        try:
            result = await model.embed(texts)
        except Exception as exc:
            return failed(wire, logged(exc))
        noted(request.state).input_tokens = result.input_tokens or 0
        encoding = str(body.get("encoding_format", "float"))
        return json_reply(embeddings_body(result, name=name, encoding=encoding))

    async def count_tokens(self, request: Request) -> Response:
        """Anthropic's ``/v1/messages/count_tokens``: exact where the model can count,
        an estimate otherwise, as the header says (:mod:`.tokens`)."""
        wire = self.anthropic
        found = await self._asked(request, wire, self.models, "model")
        if isinstance(found, Response):
            return found
        body, name, _ = found
        try:  # the request has no max_tokens: what the answer may be is not counted
            call = wire.decode({"max_tokens": 1, **body}).model_copy(update={"max_tokens": None})
        except (FluentAIError, ValidationError) as exc:
            return failed(wire, invalid_request(f"the request cannot be read: {exc}"))
        counting = self.counters.get(name)
        if counting is None:
            return json_reply({"input_tokens": estimated_tokens(call)}, headers=ESTIMATED)
        try:
            tokens = await counting.count(call)
        except Exception as exc:
            return failed(wire, logged(exc))
        noted(request.state).deployment = counting.deployment
        return json_reply({"input_tokens": tokens}, headers=EXACT)

    async def health(self, request: Request) -> Response:
        """Liveness: the process answers."""
        return json_reply({"status": "ok"})

    async def readiness(self, request: Request) -> Response:
        """Readiness: started and not shutting down (a balancer stops sending then)."""
        if self.ready:
            return json_reply({"status": "ready"})
        return json_reply({"status": "not ready"}, status=503)

    async def metrics(self, request: Request) -> Response:
        body = self.telemetry.render()
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    async def chat(self, request: Request, wire: Wire) -> Response:
        found = await self._asked(request, wire, self.models, "model")
        if isinstance(found, Response):
            return found
        body, name, model = found
        note = noted(request.state)
        try:
            call = wire.decode(body)
        except (FluentAIError, ValidationError) as exc:
            return failed(wire, invalid_request(f"the request cannot be read: {exc}"))
        if body.get("stream") is True:
            note.streamed = True
            return await stream_reply(model, call, wire, wire.writer(body, model=name), note)
        try:
            response = await model.complete(call)
        except Exception as exc:
            return failed(wire, logged(exc))
        note.input_tokens = response.usage.input_tokens
        note.output_tokens = response.usage.output_tokens
        note.deployment = deployment_of(response.extra.get(ROUTE_KEY))
        return json_reply(wire.answer(response, model=name))

    async def _asked(
        self, request: Request, wire: Wire, table: Mapping[str, Served], what: str
    ) -> tuple[dict[str, Any], str, Served] | Response:
        """The body, the served name it asks for and what serves it, once the caller's
        key may use it; or the refusal, in the caller's format."""
        body = await json_body(request, self.max_body)
        if isinstance(body, Failure):
            return failed(wire, body)
        name = body.get("model")
        if not isinstance(name, str) or not name:
            return failed(wire, invalid_request(f"'model' must name one of the served {what}s"))
        note = noted(request.state)
        note.model = name
        if self.keys is not None and (refused := self.keys.admit(request.headers, name, note)):
            return failed(wire, refused)
        found = table.get(name)
        if found is None:
            served = ", ".join(sorted(table)) or "none"
            message = f"{what} {name!r} is not served here; served {what}s: {served}"
            return failed(wire, Failure(404, "not_found", message))
        return body, name, found


def create_app(
    models: Mapping[str, ChatModel],
    *,
    embedders: Mapping[str, EmbeddingModel] | None = None,
    max_body: int = MAX_BODY,
    owned: bool = False,
    cors_origins: Sequence[str] = (),
    keys: Gatekeeper | None = None,
    traced: bool = False,
    shared_metrics: Path | None = None,
) -> Starlette:
    """An ASGI app serving ``models`` (and ``embedders``) by name; see the module
    docstring. With ``owned`` the app closes them when it shuts down (they are the
    caller's otherwise). Browsers may call it only from ``cors_origins`` (none by
    default: CORS is off). With ``keys`` every call needs a key
    (:mod:`fluent_ai.server.gatekeeper`) and the admin endpoints are served. With
    ``traced`` each request is an OpenTelemetry server span (:mod:`.tracing`), where
    ``opentelemetry-api`` is installed. With ``shared_metrics`` (a folder) its metrics
    are summed with those of the other apps writing there (:mod:`.shared_metrics`)."""
    gateway = Gateway(
        models, embedders=embedders, max_body=max_body, keys=keys, shared_metrics=shared_metrics
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if keys is not None:
            await keys.start()
        gateway.ready = True
        publishing = asyncio.create_task(gateway.telemetry.shared.run())
        try:
            yield
        finally:
            gateway.ready = False
            publishing.cancel()
            await asyncio.gather(publishing, return_exceptions=True)
            flush_access_log()
            await gateway.counters.aclose()
            if keys is not None:
                await keys.aclose()
            if owned:
                for model in gateway.models.values():
                    await model.aclose()
                for embedder in gateway.embedders.values():
                    await embedder.aclose()

    served = [
        Route("/v1/chat/completions", gateway.chat_completions, methods=["POST"]),
        Route("/v1/messages", gateway.messages, methods=["POST"]),
        Route("/v1/messages/count_tokens", gateway.count_tokens, methods=["POST"]),
        Route("/v1/responses", gateway.responses, methods=["POST"]),
        Route("/v1/embeddings", gateway.embeddings, methods=["POST"]),
        Route("/v1/models", gateway.list_models, methods=["GET"]),
        Route("/health", gateway.health, methods=["GET"]),
        Route("/ready", gateway.readiness, methods=["GET"]),
        Route("/metrics", gateway.metrics, methods=["GET"]),
    ]
    routes = [*served, *(Admin(keys).routes() if keys is not None else ())]
    middleware = [Middleware(Observer, telemetry=gateway.telemetry)]
    if traced and (found := tracer()) is not None:
        from fluent_ai.server.tracing import Traced  # imports opentelemetry

        middleware.insert(0, Middleware(Traced, tracer=found))  # outermost: the whole request
    if cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
            )
        )
    middleware.append(Middleware(HotRoutes, routes=hot(served)))  # last: inside all others
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
