"""Property: an Ollama ``/api/chat`` request decodes to the request it was encoded from.

Drawn from what Ollama carries without loss (see
:mod:`tests.unit.providers.codec_strategies`): text, inline images, thinking, tool calls
and their results (with the tool's name), tools, sampling settings with the seed (in
``options``) and JSON output. What its wire cannot carry:

* the system prompt is the first ``system`` message and returns as one;
* images are bare base64: their media type is read back from their first bytes, so
  images are drawn as PNG, JPEG, GIF or WebP bytes; Ollama fetches no URLs;
* a message's text parts are joined into one ``content`` (so one is drawn per message),
  and its images follow its text;
* a tool result always names its tool (the call's name when the result has none), and
  has no error flag;
* no tool choice (``auto`` is what Ollama does; ``none`` is kept by not sending the
  tools), no ``strict`` tools, no documents, no thinking signatures, no metadata, and no
  plain-text format or schema ``name``/``description`` (a schema is always strict).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.unit.providers.codec_strategies import (
    SCHEMA,
    TEXT,
    Carries,
    images,
    requests,
    roundtrip,
    system_first,
)

from fluent_ai.providers.ollama import OllamaProtocol
from fluent_ai.types import ChatRequest, ResponseFormat, ThinkingPart

CARRIES = Carries(
    choices=(),
    seed=True,
    formats=st.none()
    | st.just(ResponseFormat(type="json_object"))
    | SCHEMA.map(lambda schema: ResponseFormat(type="json_schema", json_schema=schema)),
    media=st.lists(images(["image/png", "image/jpeg", "image/gif", "image/webp"]), max_size=2),
    thinking=st.lists(TEXT.map(lambda text: ThinkingPart(text=text)), max_size=1),
    result_names=True,
)


@given(requests(CARRIES))
def test_ollama_keeps_every_field(request: ChatRequest) -> None:
    assert roundtrip(OllamaProtocol(), request) == system_first(request)
