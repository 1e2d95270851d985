"""A chat model reached over HTTP: a provider profile plus a wire protocol.

This is the only place where a provider translator meets the network. The translator
stays pure; this class adds the URL, the key, the HTTP client (which owns retries and
timeouts) and turns transport failures into typed errors.

A model given no client opens its own, one per event loop it is used on, and closes
them in :meth:`~HttpChatModel.aclose` (or when their loop ends); a client passed in
belongs to the caller, who closes it. Every stream is closed as soon as its consumer
stops: each layer reads the one below inside ``contextlib.aclosing``, so closing the
outermost generator closes the HTTP response in the same call, not whenever the
garbage collector gets to each layer.

Streams are server-sent events, JSON lines for a protocol whose ``stream_format`` is
``"jsonl"``, or AWS event streams for ``"eventstream"`` (Bedrock), each message's
payload handed over with its event type
(:func:`~fluent_ai.providers.base.stream_format`). The JSON-lines reader
parses each line as it checks it, naming a bad line by its number; the decoder gets
the line back as JSON text, so every decoder takes text, whatever the framing. That
costs a few microseconds per line, against the milliseconds a model takes per token.
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

import httpx

from fluent_ai._closing import Closeable
from fluent_ai.http import (
    HttpClient,
    JSONLinesParser,
    LoopClients,
    SSEParser,
    json_codec,
)
from fluent_ai.providers.base import ChatProtocol, ProviderProfile, stream_format
from fluent_ai.providers.capabilities import check_request
from fluent_ai.providers.counting import CountingProtocol
from fluent_ai.providers.endpoints import base_url_for
from fluent_ai.providers.not_found import with_suggestions
from fluent_ai.providers.pricing import cost_usd, model_info, priced
from fluent_ai.types import (
    BadResponseError,
    ChatRequest,
    ChatResponse,
    MissingAPIKeyError,
    ProviderError,
    ResponseStart,
    StreamError,
    StreamEvent,
    UnsupportedFeatureError,
    UsageUpdate,
    collect_events,
    collect_stream,
)
from fluent_ai.types.errors import redact_key


class HttpChatModel(Closeable):
    """Send :class:`ChatRequest` objects to one provider over HTTP.

    The API key comes from ``api_key`` or the profile's environment variable; it is kept
    out of ``repr`` and of every error message. Without one, a profile with a ``signer``
    (Bedrock: SigV4 with the AWS credential chain) signs each request instead. The base
    URL comes from ``base_url``, then ``<PROVIDER>_BASE_URL`` (``OPENAI_BASE_URL``,
    ``ANTHROPIC_BASE_URL``, …), then a host variable such as ``OLLAMA_HOST``, then the profile
    (:func:`~fluent_ai.providers.endpoints.base_url_for`, shared with embeddings). Close
    it (``aclose()``, ``async with``, ``close()``, ``with``) to close the connections it
    opened; a ``client`` passed in is left open for its owner. ``client_factory`` makes
    the model's own clients (one per event loop) when no ``client`` is given: the router
    (:mod:`fluent_ai.engine`) uses it to give a deployment its own timeouts and retries.
    """

    def __init__(
        self,
        profile: ProviderProfile,
        protocol: ChatProtocol,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        client: HttpClient | None = None,
        client_factory: Callable[[], HttpClient] = HttpClient,
    ) -> None:
        key = api_key or (os.environ.get(profile.api_key_env) if profile.api_key_env else None)
        self._signer = None
        if profile.api_key_env and not key:
            if profile.signer is None:
                raise MissingAPIKeyError(profile.name, profile.api_key_env)
            self._signer = profile.signer()  # e.g. Bedrock: SigV4 with IAM credentials
        self.provider = profile.name
        self.profile = profile
        self.protocol = protocol
        self.base_url = base_url_for(profile, base_url)
        self._headers = profile.auth_headers(key)
        self._key = key
        self._client = client
        self._own_clients = LoopClients(client_factory)

    def __repr__(self) -> str:
        return f"HttpChatModel(provider={self.provider!r}, base_url={self.base_url!r})"

    @property
    def client(self) -> HttpClient:
        """The client given, else this model's own for the running event loop."""
        return self._client if self._client is not None else self._own_clients.get()

    async def aclose(self) -> None:
        """Close the connections this model opened; a client passed in stays open."""
        await self._own_clients.aclose()

    def _url(self, request: ChatRequest, *, stream: bool) -> str:
        return self.base_url + self.protocol.path(request, stream=stream)

    async def complete(self, request: ChatRequest) -> ChatResponse:
        result = collect_events(await self._whole(request))
        cost = cost_usd(self.provider, request.model, result.usage)
        return result.model_copy(update={"provider": self.provider, "cost_usd": cost})

    async def _whole(self, request: ChatRequest) -> list[StreamEvent]:
        """One plain request; the whole answer as the events a stream would have sent."""
        check_request(self.provider, request, model_info(self.provider, request.model))
        body = self.protocol.encode_request(request, stream=False)
        answer = await self._post(self._url(request, stream=False), body, request.model)
        return self.protocol.decode_response(answer)

    async def _post(self, url: str, body: dict[str, Any], model: str) -> dict[str, Any]:
        """POST ``body`` and read the JSON answer; a refusal raises its typed error."""
        response = await self.client.request(
            "POST", url, **await self._payload(url, body), provider=self.provider
        )
        if response.status_code >= 400:
            raise self._error(response, model)
        return self._json(response)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        check_request(self.provider, request, model_info(self.provider, request.model))
        body = self.protocol.encode_request(request, stream=True)
        url = self._url(request, stream=True)
        async with self.client.stream(
            "POST", url, **await self._payload(url, body), provider=self.provider
        ) as response:
            if response.status_code >= 400:
                raise self._error(response, request.model)
            # A transport failure mid-body arrives as StreamInterruptedError from the
            # http layer; the decoder's close() catches a stream that ended too soon.
            decoder = self.protocol.stream_decoder()
            async with aclosing(self._messages(response)) as batches:
                async for batch in batches:
                    for data, name in batch:
                        for event in decoder.feed(data, name):
                            yield self._checked(event, request.model)
            for event in decoder.close():
                yield self._checked(event, request.model)

    async def _payload(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        """The headers and body of a call: the JSON as it is, or, for a model that signs
        its requests (:attr:`ProviderProfile.signer`), the exact bytes it signed."""
        if self._signer is None:
            return {"headers": self._headers, "json": body}
        # Written as the client would, but here: the signature covers these very bytes.
        content = json_codec.dumps(body)
        headers = {**self._headers, "content-type": "application/json"}
        return {
            "headers": await self._signer.sign("POST", url, headers, content),
            "content": content,
        }

    async def _messages(
        self, response: httpx.Response
    ) -> AsyncGenerator[list[tuple[str, str]], None]:
        """The streamed body as ``(data, event name)`` pairs for the protocol's decoder.

        Server-sent events come in a list per chunk off the wire rather than one by one:
        each step through an async generator costs about as much as parsing an event,
        and a chunk often carries dozens of them.
        """
        if stream_format(self.protocol) == "eventstream":
            # Imported here: only Bedrock streams AWS event streams.
            from fluent_ai.http.eventstream import aiter_event_stream_response

            async with aclosing(
                aiter_event_stream_response(response, provider=self.provider)
            ) as frames:
                async for frame in frames:
                    yield [(frame.text(provider=self.provider), frame.name)]
            return
        if stream_format(self.protocol) == "jsonl":
            lines = JSONLinesParser(provider=self.provider)
            async for chunk in response.aiter_bytes():
                yield [(line, "message") for line in lines.feed_lines(chunk)]
            yield [(line, "message") for line in lines.close_lines()]
            return
        parser = SSEParser(provider=self.provider)
        async for chunk in response.aiter_bytes():
            yield [(message.data, message.event) for message in parser.feed(chunk)]
        yield [(message.data, message.event) for message in parser.close()]

    @property
    def counts_tokens(self) -> bool:
        """Whether the vendor counts prompts (:mod:`~fluent_ai.providers.counting`)."""
        return isinstance(self.protocol, CountingProtocol)

    async def count_tokens(self, request: ChatRequest) -> int:
        """The prompt's tokens as the vendor counts them, asked of its counting endpoint."""
        protocol = self.protocol
        if not isinstance(protocol, CountingProtocol):
            raise UnsupportedFeatureError(
                f"{self.provider} has no token-counting endpoint", provider=self.provider
            )
        body = protocol.encode_count_request(request)
        url = self.base_url + protocol.count_path(request)
        return protocol.decode_count_response(await self._post(url, body, request.model))

    async def stream_response(self, request: ChatRequest) -> ChatResponse:
        """Stream, then collect: the same answer as :meth:`complete`, read as it streams."""
        async with aclosing(self.stream(request)) as events:
            result = await collect_stream(events)
        return result.model_copy(update={"provider": self.provider})

    def _error(self, response: httpx.Response, model: str) -> ProviderError:
        """The typed error for a failed call; an echoed key is cut out of the body first.

        Pattern-based redaction cannot know every vendor's key format; this key we know
        (:func:`~fluent_ai.types.errors.redact_key` says which keys, and where). A 404
        for a mistyped model name gets the close names the registry knows
        (:mod:`fluent_ai.providers.not_found`).
        """
        content = redact_key(response.content, self._key)
        for secret in self._signer.secrets() if self._signer is not None else ():
            content = redact_key(content, secret)
        error = self.protocol.decode_error(response.status_code, response.headers, content)
        return with_suggestions(error, self.provider, model)

    def _checked(self, event: StreamEvent, model: str) -> StreamEvent:
        if isinstance(event, StreamError):
            raise event.error
        if isinstance(event, UsageUpdate):
            return priced(event, self.provider, model)
        if isinstance(event, ResponseStart) and event.provider is None:
            return ResponseStart(id=event.id, model=event.model, provider=self.provider)
        return event

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            data = json_codec.loads(response.content)
        except ValueError as exc:
            raise BadResponseError(
                f"expected a JSON body, got {response.content[:200]!r}",
                provider=self.provider,
                status=response.status_code,
            ) from exc
        if not isinstance(data, dict):
            raise BadResponseError(
                f"expected a JSON object, got {type(data).__name__}",
                provider=self.provider,
                status=response.status_code,
            )
        return data
