"""The one error hierarchy, rooted at :class:`FluentAIError`.

Every error says what happened and, where it came from a provider, which provider,
which HTTP status, and whether retrying can help. Messages and bodies are built from
the provider's own error text; anything that looks like an API key is scrubbed from
both before they are stored, so an error can be logged or shown as it is. The caller's
own key, whatever its format, is cut out earlier by :func:`redact_key`, where the
provider's answer is first read.
"""

from __future__ import annotations

import builtins
from typing import Any

# Re-exported: the rest of the package imports them from here.
from fluent_ai.types.redaction import MIN_SECRET_LENGTH as MIN_SECRET_LENGTH
from fluent_ai.types.redaction import redact as redact
from fluent_ai.types.redaction import redact_key as redact_key
from fluent_ai.types.redaction import redact_value as redact_value


class FluentAIError(Exception):
    """Base of every error fluent-ai raises.

    ``retryable`` says whether the same request may succeed if sent again later.
    """

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        status: int | None = None,
        retryable: bool | None = None,
        code: str | None = None,
        body: Any = None,
    ) -> None:
        self.message = redact(message)
        self.provider = provider
        self.status = status
        self.code = code
        self.body = redact_value(body)
        if retryable is not None:
            self.retryable = retryable
        super().__init__(self.message)

    def __str__(self) -> str:
        where = []
        if self.provider:
            where.append(self.provider)
        if self.status is not None:
            where.append(f"HTTP {self.status}")
        prefix = f"[{', '.join(where)}] " if where else ""
        hint = " (retrying may help)" if self.retryable else ""
        return f"{prefix}{self.message}{hint}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, provider={self.provider!r}, "
            f"status={self.status!r}, retryable={self.retryable!r})"
        )


class ConfigurationError(FluentAIError):
    """The library was set up wrongly: a missing API key, an unknown provider, a bad option."""


class MissingAPIKeyError(ConfigurationError):
    """No API key was found; ``variable`` names the environment variable to set."""

    def __init__(self, provider: str, variable: str) -> None:
        self.variable = variable
        super().__init__(
            f"no API key for {provider}: set the environment variable {variable}",
            provider=provider,
        )


class UnsupportedFeatureError(ConfigurationError):
    """The request asks for something this provider or model cannot do."""


class ProviderError(FluentAIError):
    """An error reported by, or while talking to, a provider."""


class InvalidRequestError(ProviderError):
    """The provider rejected the request as malformed (HTTP 400, 422)."""


class InvalidTextError(InvalidRequestError):
    """Text in a request holds a lone surrogate, which UTF-8 (and so every API) cannot carry.

    Raised before anything is sent, where the request is built, so the caller learns
    which text is at fault instead of meeting a ``UnicodeEncodeError`` deep in the HTTP
    client or a ``TypeError`` in a tokenizer. ``message_index`` is the message's place
    in the conversation (``None`` for the system prompt or a stop sequence), ``part_index``
    the part's place in the message, ``field`` the part's field and ``position`` the
    character's offset in that text.
    """

    def __init__(
        self,
        where: str,
        character: str,
        *,
        message_index: int | None,
        part_index: int | None,
        field: str,
        position: int,
    ) -> None:
        self.message_index = message_index
        self.part_index = part_index
        self.field = field
        self.position = position
        self.character = character
        super().__init__(
            f"{where} holds a lone surrogate {character!r} at character {position}, which "
            "UTF-8 cannot encode, so the request cannot be sent. Such characters come from "
            "bytes that were not UTF-8, decoded with errors='surrogateescape' (command-line "
            "arguments, environment variables, file names, a non-UTF-8 stdin). Decode the "
            "input with errors='replace' (data.decode('utf-8', errors='replace')), or repair "
            "the string with text.encode('utf-8', 'surrogateescape').decode('utf-8', "
            "'replace')"
        )


class AuthenticationError(ProviderError):
    """The API key is missing, wrong or revoked (HTTP 401)."""


class PermissionDeniedError(ProviderError):
    """The key is valid but may not use this resource (HTTP 403)."""


class NotFoundError(ProviderError):
    """The model or endpoint does not exist (HTTP 404)."""


class ModelNotFoundError(NotFoundError):
    """The provider answered 404 for a model name the registry knows close matches of.

    The vendor's own message comes first, then "did you mean …?" with ``suggestions``,
    the closest known ``provider/name``s (a typo such as ``openai/gpt-4oo`` gets
    ``openai/gpt-4o``). Raised only when there are suggestions; otherwise the 404 stays
    a plain :class:`NotFoundError`.
    """

    def __init__(self, message: str, *, suggestions: list[str], **kwargs: Any) -> None:
        self.suggestions = list(suggestions)
        if self.suggestions:
            *rest, last = self.suggestions
            names = f"{', '.join(rest)} or {last}" if rest else last
            message = f"{message}; did you mean {names}?"
        super().__init__(message, **kwargs)


class RateLimitError(ProviderError):
    """Too many requests or tokens (HTTP 429); ``retry_after`` is in seconds when known."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ContextLengthExceededError(InvalidRequestError):
    """The prompt plus the requested output does not fit the model's context window."""


class ContentFilteredError(ProviderError):
    """The provider refused the input or output on content-policy grounds."""


class ProviderUnavailableError(ProviderError):
    """The provider failed or is overloaded (HTTP 5xx, 529)."""

    retryable = True


class TimeoutError(ProviderError, builtins.TimeoutError):
    """No answer within the configured connect, read or total timeout.

    Also the builtin ``TimeoutError`` (and so an ``OSError``): the name shadows the
    builtin in modules that import it, and code written against the builtin, such as
    ``except TimeoutError`` around ``asyncio.timeout``, must catch it all the same.
    """

    retryable = True


class ConnectionError(ProviderError, builtins.ConnectionError):
    """The connection could not be made or was dropped before a response arrived.

    Also the builtin ``ConnectionError`` (and so an ``OSError``), for the same reason as
    :class:`TimeoutError`.
    """

    retryable = True


class StreamInterruptedError(ProviderError):
    """A stream broke after it had started: what arrived so far is in ``partial``."""

    def __init__(self, message: str, *, partial: Any = None, **kwargs: Any) -> None:
        self.partial = partial
        super().__init__(message, **kwargs)


class BadResponseError(ProviderError):
    """The provider answered with something that could not be decoded."""


class LocalModelError(FluentAIError):
    """The local model could not be loaded or run (missing package, not enough memory)."""


def error_for_status(
    status: int,
    message: str,
    *,
    provider: str | None = None,
    code: str | None = None,
    body: Any = None,
    retry_after: float | None = None,
) -> ProviderError:
    """Pick the typed error for an HTTP status; providers refine it from the error body."""
    kwargs: dict[str, Any] = {"provider": provider, "status": status, "code": code, "body": body}
    if status == 429:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    if status == 401:
        return AuthenticationError(message, **kwargs)
    if status == 403:
        return PermissionDeniedError(message, **kwargs)
    if status == 404:
        return NotFoundError(message, **kwargs)
    if status in (408, 504):
        return TimeoutError(message, **kwargs)
    if status == 413:
        return ContextLengthExceededError(message, **kwargs)
    if status >= 500:
        return ProviderUnavailableError(message, **kwargs)
    if 400 <= status < 500:
        return InvalidRequestError(message, **kwargs)
    return BadResponseError(message, **kwargs)
