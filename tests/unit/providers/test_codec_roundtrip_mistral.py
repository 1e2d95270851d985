"""Property: a Mistral chat request decodes to the request it was encoded from.

Drawn from what Mistral carries without loss (see
:mod:`tests.unit.providers.codec_strategies`): text, images (inline or by URL, with
``detail``) and documents (with their name), thinking, tool calls and their results
(with the tool's name), tools with ``strict``, every tool choice, sampling settings with
the seed, metadata and every response format. What its wire cannot carry:

* the system prompt is the first ``system`` message and returns as one (system messages
  keep their place in the history);
* tool call ids must be nine letters or digits, so ids are drawn that way (others are
  replaced by a stable digest, on the call and its result alike);
* no error flag on a tool result, and no thinking signature or redacted thinking;
* a strict response format's schema is sent in OpenAI's strict form, so strict schemas
  are drawn already in that form.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.unit.providers.codec_strategies import (
    NAME,
    TEXT,
    Carries,
    documents,
    images,
    named_formats,
    requests,
    roundtrip,
    system_first,
    web_urls,
)

from fluent_ai.providers.mistral.protocol import MistralProtocol
from fluent_ai.types import ChatRequest, ResponseFormat, ThinkingPart

MEDIA = st.lists(
    images(["image/png", "image/jpeg"], urls=web_urls(".png"), detail=True)
    | documents(["application/pdf"], urls=web_urls(".pdf"), names=st.none() | NAME),
    max_size=2,
)
CARRIES = Carries(
    choices=("auto", "none", "required", "tool"),
    seed=True,
    metadata=True,
    strict=st.sampled_from([None, True, False]),
    formats=st.none()
    | st.sampled_from([ResponseFormat(type="text"), ResponseFormat(type="json_object")])
    | named_formats(),
    media=MEDIA,
    thinking=st.lists(TEXT.map(lambda text: ThinkingPart(text=text)), max_size=1),
    result_names=True,
    call_id="call{:02d}x{:02d}".format,
)


@given(requests(CARRIES))
def test_mistral_keeps_every_field(request: ChatRequest) -> None:
    assert roundtrip(MistralProtocol(), request) == system_first(request)
