"""Exact prompt sizes, counted by the model's own tokenizer: a capability some models have.

A vendor with a counting endpoint (Anthropic's ``POST /v1/messages/count_tokens``,
Gemini's ``:countTokens``) counts a prompt as it will bill it, tools, system prompt and
images included; the local model counts with its own chat template and tokenizer. Other
vendors have no such endpoint, and a caller has only an estimate
(:func:`fluent_ai.engine.shape.needs`).

Two halves, kept apart as for chat (:mod:`fluent_ai.providers.base`): a wire protocol
that can count is still a pure translator (:class:`CountingProtocol`: the path, the
body, the count read back from the answer); the model that sends the request, or runs
the tokenizer, is a :class:`TokenCounter`. :func:`token_counter` says whether a model is
one, so a caller can choose between the exact count and an estimate before asking.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from fluent_ai.types import BadResponseError, ChatRequest


@runtime_checkable
class CountingProtocol(Protocol):
    """A :class:`~fluent_ai.providers.base.ChatProtocol` whose vendor counts prompts."""

    def count_path(self, request: ChatRequest) -> str:
        """The counting endpoint's path, relative to the provider's base URL."""
        ...

    def encode_count_request(self, request: ChatRequest) -> dict[str, Any]:
        """The body that asks for ``request``'s prompt to be counted."""
        ...

    def decode_count_response(self, body: Mapping[str, Any]) -> int:
        """The prompt's tokens, from the counting endpoint's answer."""
        ...


@runtime_checkable
class TokenCounter(Protocol):
    """A chat model that can say exactly how many tokens a request's prompt is.

    ``counts_tokens`` is ``False`` for a model of a kind that may count but cannot here
    (an HTTP model whose vendor has no counting endpoint).
    """

    @property
    def counts_tokens(self) -> bool: ...

    async def count_tokens(self, request: ChatRequest) -> int:
        """The prompt's tokens (messages, system prompt, tools) as this model reads them."""
        ...


def token_counter(model: object) -> TokenCounter | None:
    """``model``, if it counts tokens exactly; ``None`` if all there is is an estimate."""
    if isinstance(model, TokenCounter) and model.counts_tokens:
        return model
    return None


def read_count(body: Mapping[str, Any], field: str, *, provider: str) -> int:
    """The non-negative integer ``body[field]``, or a :class:`BadResponseError` saying so."""
    count = body.get(field)
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        return count
    raise BadResponseError(
        f"expected a token count in {field!r}, got {str(dict(body))[:200]}", provider=provider
    )
