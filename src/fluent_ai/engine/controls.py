"""Per-request switches for the engine's wrappers, carried in ``ChatRequest.metadata``.

A request passes through the agent, the router and the gateway unchanged, and the
gateway receives it as a wire body, so a switch has to travel inside the request
itself; ``metadata`` is the one field every layer keeps (an OpenAI client sends it as
``metadata`` to the gateway). Each wrapper reads its own key and removes it before the
request goes upstream, so a provider never sees it (Gemini and Ollama reject any
metadata at all):

* ``{"fluent_ai.cache": "off"}``: neither read nor write the response cache;
  ``"refresh"``: skip the lookup but store the fresh answer; ``"always"``: cache this
  request even though its settings are not deterministic.
* ``{"fluent_ai.dedup": "off"}``: make this call on its own, never sharing another's.
"""

from __future__ import annotations

from typing import Literal, cast

from fluent_ai.types import ChatRequest, ConfigurationError

CACHE_CONTROL = "fluent_ai.cache"
DEDUP_CONTROL = "fluent_ai.dedup"

CacheControl = Literal["off", "refresh", "always"]
_CACHE_VALUES = ("off", "refresh", "always")


def cache_control(request: ChatRequest) -> CacheControl | None:
    """The request's ``fluent_ai.cache`` switch, or ``None`` when it sets none."""
    value = (request.metadata or {}).get(CACHE_CONTROL)
    if value is None:
        return None
    if value not in _CACHE_VALUES:
        raise ConfigurationError(
            f"metadata[{CACHE_CONTROL!r}] is {value!r}; use one of "
            f"{', '.join(repr(v) for v in _CACHE_VALUES)} or leave it out"
        )
    return cast(CacheControl, value)


def dedup_off(request: ChatRequest) -> bool:
    """Whether the request asks to skip de-duplication (``fluent_ai.dedup: "off"``)."""
    value = (request.metadata or {}).get(DEDUP_CONTROL)
    if value is None:
        return False
    if value != "off":
        raise ConfigurationError(
            f"metadata[{DEDUP_CONTROL!r}] is {value!r}; the only value is 'off' "
            "(leave it out to share identical in-flight calls)"
        )
    return True


def without_control(request: ChatRequest, key: str) -> ChatRequest:
    """``request`` with the control ``key`` taken out of its metadata (``None`` if emptied)."""
    metadata = request.metadata
    if not metadata or key not in metadata:
        return request
    rest = {k: v for k, v in metadata.items() if k != key}
    return request.model_copy(update={"metadata": rest or None})


def is_deterministic(request: ChatRequest) -> bool:
    """Whether the same request should give the same answer: temperature 0 or a seed.

    Caching a sampled answer would turn "write me three different slogans" into the
    same slogan forever, so only these are cached unless the caller asks.
    """
    return request.temperature == 0 or request.seed is not None


__all__ = [
    "CACHE_CONTROL",
    "DEDUP_CONTROL",
    "CacheControl",
    "cache_control",
    "dedup_off",
    "is_deterministic",
    "without_control",
]
