"""What makes two requests "the same": one normalized key for de-duplication and caching.

Both :class:`~fluent_ai.engine.dedup.Deduplicated` and
:class:`~fluent_ai.engine.cache.Cached` ask this module, so a request that shares an
in-flight call is exactly a request that would hit the cache. The key covers
everything that can change the answer: the model, the system prompt, the messages, the
tools, every setting and the provider-specific ``extra`` fields. Fields left at their
defaults are dropped first, so ``ChatRequest(model=m, messages=ms)`` and the same
request with ``tools=None`` spelled out are one key; keys in ``metadata`` that start
with ``fluent_ai.`` are the engine's own controls (:mod:`fluent_ai.engine.controls`),
not part of the question, and are dropped too.

The key is the SHA-256 of canonical JSON (sorted keys, no spaces), so it is short,
safe to store on disk or in Redis, and says nothing readable about the prompt.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fluent_ai.types import ChatRequest

CONTROL_PREFIX = "fluent_ai."
"""Metadata keys with this prefix steer the engine and are never part of the key."""


def normalized_request(request: ChatRequest) -> dict[str, Any]:
    """The request as plain JSON data, defaults and engine controls left out."""
    data = request.model_dump(mode="json", exclude_defaults=True)
    metadata = data.get("metadata")
    if metadata:
        kept = {k: v for k, v in metadata.items() if not k.startswith(CONTROL_PREFIX)}
        if kept:
            data["metadata"] = kept
        else:
            del data["metadata"]
    return data


def request_key(request: ChatRequest, *, namespace: str = "") -> str:
    """A hex digest naming ``request``; ``namespace`` keeps models that share a store apart.

    Two models may take the same model name (``llama-3.1-8b`` at Groq and at Cerebras)
    and answer differently, so a wrapper passes its model's provider as the namespace.

    A request with no free-form mappings (no ``metadata``, ``extra``, tools or response
    format: most chat turns) is written by pydantic's own JSON serializer, whose field
    order is fixed by the model, at half the cost; the others go through
    :func:`normalized_request` and sorted keys, so that ``{"a": 1, "b": 2}`` and
    ``{"b": 2, "a": 1}`` are one key. Which way a request takes depends only on the
    request, and the two ways are tagged apart, so one request always has one key.
    """
    metadata = request.metadata
    if metadata is not None and all(k.startswith(CONTROL_PREFIX) for k in metadata):
        request = request.model_copy(update={"metadata": None})
    if (
        request.metadata is None
        and not request.extra
        and request.tools is None
        and request.response_format is None
    ):
        text = "f\0" + namespace + "\0" + request.model_dump_json(exclude_defaults=True)
    else:
        text = "c\0" + json.dumps(
            [namespace, normalized_request(request)],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
    return hashlib.sha256(text.encode()).hexdigest()


__all__ = ["CONTROL_PREFIX", "normalized_request", "request_key"]
