"""The contracts between the chat layer and providers.

Two roles, kept apart as in pydantic-ai:

* a **wire protocol** (:class:`ChatProtocol`) is a pure translator: ``ChatRequest`` to a
  JSON body, JSON bodies and stream messages back to :mod:`stream events
  <fluent_ai.types.events>`, error bodies to typed errors. It never does I/O.
* a **provider** (:class:`ProviderProfile`) says where and how to send: base URL, how
  the API key is passed, which environment variable holds it, vendor quirks.

Anything that answers chat requests, remote or local, is a :class:`ChatModel`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Protocol, Self, cast, get_args, runtime_checkable

from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    ConfigurationError,
    ProviderError,
    StreamEvent,
)

StreamFormat = Literal["sse", "jsonl", "eventstream"]
"""How a streamed body is framed: server-sent events, one JSON value per line, or AWS's
binary event stream (Bedrock; :mod:`fluent_ai.http.eventstream`)."""


class StreamDecoder(Protocol):
    """Turns one provider stream into events, one stream message at a time.

    ``feed`` takes the text of one stream message: an SSE message's data (``event`` is
    the SSE event name, ``"message"`` when the stream sends none), for a JSON-lines
    protocol one line's JSON text (``event`` is then always ``"message"``), or an AWS
    event-stream message's payload (``event`` is its ``:event-type``, or its
    ``:exception-type`` for an exception). Text in every case, so a decoder is tested
    by feeding it the messages of a body as written.
    ``close`` is called when the body ends and raises
    :class:`~fluent_ai.types.StreamInterruptedError` if the stream stopped before the
    provider said it was complete: a broken stream must never look like a short answer.
    """

    def feed(self, data: str, event: str = "message") -> list[StreamEvent]: ...

    def close(self) -> list[StreamEvent]: ...


class ChatProtocol(Protocol):
    """A wire format for chat, e.g. OpenAI Chat Completions or Anthropic Messages.

    A protocol whose streams are not server-sent events says so with a class attribute
    ``stream_format`` (a :data:`StreamFormat`: ``"jsonl"`` for Ollama's native API). It
    is not a member of this Protocol, so the protocols that stream SSE need not spell it
    out; :func:`stream_format` reads it, with ``"sse"`` for those that do not.
    """

    name: str

    def path(self, request: ChatRequest, *, stream: bool) -> str:
        """The endpoint path, relative to the provider's base URL."""
        ...

    def encode_request(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]: ...

    def decode_request(self, body: Mapping[str, Any]) -> ChatRequest:
        """Parse this protocol's own request body (the gateway receives them)."""
        ...

    def decode_response(self, body: Mapping[str, Any]) -> list[StreamEvent]:
        """A whole (non-streamed) response body, as the events a stream would have sent."""
        ...

    def stream_decoder(self) -> StreamDecoder: ...

    def decode_error(self, status: int, headers: Mapping[str, str], body: bytes) -> ProviderError:
        """Map an error response to the right typed error."""
        ...


def stream_format(protocol: ChatProtocol) -> StreamFormat:
    """The framing of ``protocol``'s streams: its ``stream_format``, else ``"sse"``."""
    declared = getattr(protocol, "stream_format", "sse")
    if declared in get_args(StreamFormat):
        return cast(StreamFormat, declared)
    raise ConfigurationError(
        f"{type(protocol).__name__}.stream_format is {declared!r}; "
        f"expected one of {', '.join(get_args(StreamFormat))}"
    )


class RequestSigner(Protocol):
    """Signs each request in place of a key (AWS SigV4 for Bedrock's IAM credentials)."""

    async def sign(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, str]:
        """``headers`` plus the signature's own, for exactly this ``body``."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """What an error body must never show (AWS echoes the session token back)."""
        ...


@dataclass(frozen=True)
class ProviderProfile:
    """Where and how to reach one vendor.

    ``auth_header`` is the header that carries the key; ``auth_scheme`` prefixes it
    (``"Bearer"`` for most, empty for Anthropic's ``x-api-key`` and Azure's ``api-key``).
    ``base_url`` is the default; where requests really go is
    :func:`~fluent_ai.providers.endpoints.base_url_for`'s answer, which also reads
    ``url_env`` (default ``<NAME>_BASE_URL``) and ``host_env`` (a variable naming just
    the server, as ``OLLAMA_HOST`` does for Ollama's own tools). ``signer``, when set,
    is how requests are authenticated when no key is found: it makes the
    :class:`RequestSigner` (and raises a :class:`ConfigurationError` saying how to set
    credentials when there are none).
    """

    name: str
    base_url: str
    api_key_env: str | None
    auth_header: str = "authorization"
    auth_scheme: str = "Bearer"
    headers: Mapping[str, str] = field(default_factory=dict)
    default_model: str | None = None
    url_env: str | None = None
    host_env: str | None = None
    signer: Callable[[], RequestSigner] | None = None

    @property
    def base_url_env(self) -> str:
        """The variable that overrides the base URL, e.g. ``OPENAI_BASE_URL`` (as the SDKs do).

        ``url_env`` when set: an embedding API that lives beside a chat API under another
        name reads the chat API's variable, so one setting moves both.
        """
        return self.url_env or self.name.upper().replace("-", "_") + "_BASE_URL"

    def auth_headers(self, api_key: str | None) -> dict[str, str]:
        headers = dict(self.headers)
        if api_key:
            value = f"{self.auth_scheme} {api_key}" if self.auth_scheme else api_key
            headers[self.auth_header] = value
        return headers


@runtime_checkable
class ChatModel(Protocol):
    """Anything that answers chat requests: a remote provider or the local model.

    A model owns what it opens (a remote model's connections) and releases it in
    :meth:`aclose`, also reached with ``async with model:``.
    """

    provider: str

    def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """Stream events; errors reported inside the stream are raised, not yielded.

        An async generator, so that its consumer can ``aclose()`` it (directly or with
        ``contextlib.aclosing``) and have the HTTP stream behind it closed at once.
        """
        ...

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """The whole response: the collected stream."""
        ...

    async def aclose(self) -> None:
        """Release what the model opened itself; it opens anew if used again."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
