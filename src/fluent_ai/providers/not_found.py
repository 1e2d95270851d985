"""A vendor's 404 for a mistyped model name, with the close names the registry knows.

Vendors answer a typo (``gpt-4oo``) with "model not found" and nothing more; the
registry knows what the user probably meant. The vendor's error is kept as it is
(its message first, its status, code and body), and becomes a
:class:`~fluent_ai.types.ModelNotFoundError` that adds "did you mean openai/gpt-4o?".

Suggestions are made only when they are likely to be right, since a wrong one sends a
user in the wrong direction:

* the answer is a 404 (:class:`~fluent_ai.types.NotFoundError`);
* the requested name is not a model the registry knows for that provider: a 404 for
  a known model means a wrong base URL or no access, which no other name fixes;
* a suggestion is a model of the same provider (the one that answered 404; a custom
  ``openai-compatible`` server has none, and gets none) whose name reads like a typo of
  the requested one (a similarity of at least :data:`TYPO_SIMILARITY`), so
  ``claude-does-not-exist`` gets no suggestion.
"""

from __future__ import annotations

from fluent_ai.models import default_registry, suggestions
from fluent_ai.models.providers import provider_id
from fluent_ai.providers.pricing import model_info
from fluent_ai.types import ModelNotFoundError, NotFoundError, ProviderError

TYPO_SIMILARITY = 0.8
"""How alike two model names must be (difflib's ratio) for one to be offered for the
other: ``gpt-4oo``/``gpt-4o`` score 0.92, ``claude-sonet-4-5``/``claude-sonnet-4-5``
0.97, while names that merely share a prefix, like ``o1``/``o3``, score 0.5."""


def with_suggestions(error: ProviderError, provider: str, model: str) -> ProviderError:
    """``error``, as a :class:`ModelNotFoundError` when the registry has a likely fix."""
    if not isinstance(error, NotFoundError) or isinstance(error, ModelNotFoundError):
        return error
    vendor = provider_id(provider)
    if vendor not in default_registry().providers:
        return error
    known = model_info(provider, model)
    if known is not None and known.known:
        return error
    close = [
        name
        for name in suggestions(f"{vendor}/{model}")
        if name.partition("/")[0] == vendor and _typo_of(model, name)
    ]
    if not close:
        return error
    return ModelNotFoundError(
        error.message,
        suggestions=close,
        provider=error.provider,
        status=error.status,
        code=error.code,
        body=error.body,
        retryable=error.retryable,
    )


def _typo_of(model: str, suggestion: str) -> bool:
    from difflib import SequenceMatcher  # only a failed call needs it

    name = suggestion.partition("/")[2].lower()
    wanted = model.lower()
    return name != wanted and SequenceMatcher(a=wanted, b=name).ratio() >= TYPO_SIMILARITY
