"""Property: a Gemini ``generateContent`` request decodes to the request it was encoded from.

Drawn from what Gemini carries without loss (see
:mod:`tests.unit.providers.codec_strategies`): text, images and documents (inline or by
URL, with their media type), thoughts and thought signatures, tool calls and their
results (by name, with the error flag), a system instruction, tools, every tool choice,
sampling settings with the seed, and JSON output. What its wire cannot carry:

* the model and ``stream`` are in the URL; a server puts the model in the body as
  ``models/{id}``, which is what the property does;
* tool results always name their function (Gemini pairs results with calls by name);
* consecutive tool messages travel as one user turn and return as one message;
* a thought signature is its own :class:`ThinkingPart`, placed before the part that
  carried it, so a thinking part with both text and signature returns as two;
* no image ``detail``, document ``name``, per-tool ``strict``, request ``metadata``, a
  response format's ``name``/``description``/``strict``, or a plain-text format
  (``text`` is the default and returns as ``None``).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.unit.providers.codec_strategies import (
    SCHEMA,
    TEXT,
    Carries,
    documents,
    images,
    requests,
    roundtrip,
    tool_turns_joined,
    web_urls,
)

from fluent_ai.providers.google import GeminiProtocol
from fluent_ai.types import ChatRequest, Part, ResponseFormat, ThinkingPart

IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"]
MEDIA = st.lists(
    images(IMAGE_TYPES, urls=web_urls(), typed_urls=True)
    | documents(["application/pdf", "text/plain"], urls=web_urls(), typed_urls=True),
    max_size=2,
)
SIGNATURE = st.from_regex(r"[A-Za-z0-9+/]{4,20}", fullmatch=True)


@st.composite
def thoughts(draw: st.DrawFn) -> list[Part]:
    """A thought's text, then a signature, each or both or neither."""
    parts: list[Part] = []
    if draw(st.booleans()):
        parts.append(ThinkingPart(text=draw(TEXT)))
    if draw(st.booleans()):
        parts.append(ThinkingPart(signature=draw(SIGNATURE)))
    return parts


CARRIES = Carries(
    choices=("auto", "none", "required", "tool"),
    seed=True,
    formats=st.none()
    | st.just(ResponseFormat(type="json_object"))
    | SCHEMA.map(lambda schema: ResponseFormat(type="json_schema", json_schema=schema)),
    media=MEDIA,
    thinking=thoughts(),
    result_names=True,
    errors=True,
)


@given(requests(CARRIES))
def test_gemini_keeps_every_field(request: ChatRequest) -> None:
    decoded = roundtrip(GeminiProtocol(), request, model=f"models/{request.model}")
    assert decoded == tool_turns_joined(request)
