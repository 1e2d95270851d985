"""Gemini's token counting: ``POST …/models/{model}:countTokens``.

The endpoint answers ``{"totalTokens": N, …}``. What it takes differs by host:

* The Gemini API takes either ``contents`` alone or a whole ``generateContentRequest``
  (model, contents, system instruction, tools…), never both. The short form is sent
  when the prompt is the contents alone (as Google's SDK sends it); otherwise the whole
  request, so that the system instruction and the function declarations are counted too.
* Vertex AI takes ``contents``, ``systemInstruction``, ``tools`` and
  ``generationConfig`` at the top level (its ``CountTokensRequest``).

Either way the body is built from the very ``generateContent`` body a call would send
(:func:`~fluent_ai.providers.google.encode.encode_request`), so the count is of that prompt.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluent_ai.providers.counting import read_count
from fluent_ai.types import ChatRequest, UnsupportedFeatureError

VERTEX_FIELDS = frozenset({"contents", "systemInstruction", "tools", "generationConfig"})
"""What Vertex AI's ``countTokens`` takes beside the model."""

PROMPT_FIELDS = frozenset({"systemInstruction", "tools", "toolConfig", "cachedContent"})
"""Fields that add to the prompt beyond ``contents``: the Gemini API counts them only
inside a ``generateContentRequest``."""


def encode_count_request(
    body: dict[str, Any], request: ChatRequest, provider: str
) -> dict[str, Any]:
    """The ``countTokens`` body for ``body``, the ``generateContent`` body of ``request``."""
    if provider == "google-vertex":
        return {key: value for key, value in body.items() if key in VERTEX_FIELDS}
    if not PROMPT_FIELDS.intersection(body):
        return {"contents": body["contents"]}
    if not request.model:
        raise UnsupportedFeatureError(
            "counting a prompt with a system instruction or tools needs the model's name "
            "in the request (the Gemini API's generateContentRequest names it)",
            provider=provider,
        )
    model = request.model if "/" in request.model else f"models/{request.model}"
    return {"generateContentRequest": {"model": model, **body}}


def decode_count_response(body: Mapping[str, Any], provider: str) -> int:
    return read_count(body, "totalTokens", provider=provider)
