"""Property: an OpenAI Responses request decodes to the request it was encoded from.

Drawn from what the Responses API carries without loss (see
:mod:`tests.unit.providers.codec_strategies`): text, images (inline or by URL, with
``detail``), documents (inline or by URL, with their file name), tool calls and their
results, instructions, tools with ``strict``, every tool choice, temperature, top-p,
the output cap, metadata and every response format. What its wire cannot carry:

* a tool without a ``strict`` preference is sent with ``"strict": false`` (the API
  defaults to strict), so ``strict`` is drawn as ``True`` or ``False``;
* thinking is sent back only as the reasoning items the API produced, which travel
  verbatim in ``extra``, never from parts;
* no seed, no stop sequences, no tool name or error flag on a tool result;
* a strict response format's schema is sent in OpenAI's strict form, so strict schemas
  are drawn already in that form.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.unit.providers.codec_strategies import (
    NAME,
    Carries,
    documents,
    images,
    named_formats,
    requests,
    roundtrip,
    web_urls,
)

from fluent_ai.providers.responses.protocol import ResponsesProtocol
from fluent_ai.types import ChatRequest, ResponseFormat

MEDIA = st.lists(
    images(["image/png", "image/jpeg", "image/webp"], urls=web_urls(".png"), detail=True)
    | documents(["application/pdf", "text/plain"], urls=web_urls(".pdf"), names=st.none() | NAME),
    max_size=2,
)
CARRIES = Carries(
    choices=("auto", "none", "required", "tool"),
    stop=False,
    metadata=True,
    strict=st.booleans(),
    formats=st.none()
    | st.sampled_from([ResponseFormat(type="text"), ResponseFormat(type="json_object")])
    | named_formats(),
    media=MEDIA,
)


@given(requests(CARRIES))
def test_responses_keeps_every_field(request: ChatRequest) -> None:
    assert roundtrip(ResponsesProtocol(), request) == request
