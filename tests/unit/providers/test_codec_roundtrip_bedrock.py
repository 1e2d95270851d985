"""Property: a Bedrock Converse request decodes to the request it was encoded from.

Drawn from what Converse carries without loss (see
:mod:`tests.unit.providers.codec_strategies`): text, images and documents (as bytes or
from S3), signed and redacted reasoning, tool calls and their results (with the error
flag), a system prompt, tools with ``strict``, the tool choices Converse has, the
inference settings, request metadata and JSON-schema output. What its wire cannot carry:

* the model is in the URL; a server puts it in the body as ``modelId``, which is what
  the property does;
* consecutive tool messages travel as one user turn and return as one message;
* a media type is a ``format`` field, so media are drawn with the types Bedrock takes;
* every document needs a name, unique in the request: names are tidied and numbered
  (:class:`~fluent_ai.providers.bedrock.names.DocumentNames`), an unnamed one is
  ``Document``; an image's ``detail`` has no field;
* reasoning without a signature (another model's) is not sent;
* no seed, no ``none`` tool choice, no tool name on a result, no plain-text or
  ``json_object`` format, and no ``strict`` on a schema (always enforced).
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
    tool_turns_joined,
)

from fluent_ai.providers.bedrock.names import DocumentNames
from fluent_ai.providers.bedrock.protocol import BedrockConverseProtocol
from fluent_ai.types import ChatRequest, DocumentPart, Message, Part, ThinkingPart

S3 = NAME.map(lambda key: f"s3://bucket/{key}")
MEDIA = st.lists(
    images(["image/png", "image/jpeg", "image/gif", "image/webp"], urls=S3, typed_urls=True)
    | documents(
        ["application/pdf", "text/plain", "text/csv"],
        urls=S3,
        names=st.none() | st.sampled_from(["report", "report.final.pdf", "Notes (2)"]),
        typed_urls=True,
    ),
    max_size=3,
)
SIGNED = st.builds(lambda text, signature: ThinkingPart(text=text, signature=signature), TEXT, NAME)
REDACTED = NAME.map(lambda data: ThinkingPart(redacted=data))
CARRIES = Carries(
    metadata=True,
    strict=st.sampled_from([None, True, False]),
    formats=st.none() | named_formats(strict=False),
    media=MEDIA,
    thinking=st.lists(SIGNED | REDACTED, max_size=2),
    errors=True,
)


def documents_named(request: ChatRequest) -> ChatRequest:
    """``request`` with each document named as Bedrock names it."""
    names = DocumentNames()

    def named(part: Part) -> Part:
        if isinstance(part, DocumentPart):
            return part.model_copy(update={"name": names.claim(part.name)})
        return part

    messages = [
        Message(role=message.role, parts=[named(part) for part in message.parts])
        for message in request.messages
    ]
    return request.model_copy(update={"messages": messages})


@given(requests(CARRIES))
def test_bedrock_keeps_every_field(request: ChatRequest) -> None:
    decoded = roundtrip(BedrockConverseProtocol(), request, modelId=request.model)
    assert decoded == tool_turns_joined(documents_named(request))
