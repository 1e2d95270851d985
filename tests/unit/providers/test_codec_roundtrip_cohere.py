"""Property: a Cohere v2 chat request decodes to the request it was encoded from.

Drawn from what Cohere carries without loss (see
:mod:`tests.unit.providers.codec_strategies`): text, images (inline or by URL, with
``detail``), thinking and tool plans, tool calls and their results, tools, the tool
choices Cohere has, sampling settings with the seed, and every response format. What
its wire cannot carry:

* the system prompt is the first ``system`` message and returns as one;
* ``auto`` tool choice is spelled by leaving the field out, so it returns as ``None``
  (the same behaviour); one named tool cannot be forced at all;
* strictness is one flag for all tools (``strict_tools``): tools that ask for it make
  the others strict too, and ``strict=False`` returns as ``None``;
* no documents in messages, no tool name or error flag on a tool result, no thinking
  signatures, no metadata, and no ``name``/``description``/``strict`` on a schema.
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
    web_urls,
)

from fluent_ai.providers.cohere.protocol import CohereProtocol
from fluent_ai.types import ChatRequest, ResponseFormat, ThinkingPart, ToolSpec

CARRIES = Carries(
    choices=("none", "required"),
    seed=True,
    strict=st.sampled_from([None, True]),
    formats=st.none()
    | st.sampled_from([ResponseFormat(type="text"), ResponseFormat(type="json_object")])
    | SCHEMA.map(lambda schema: ResponseFormat(type="json_schema", json_schema=schema)),
    media=st.lists(
        images(["image/png", "image/jpeg", "image/webp"], urls=web_urls(".jpg"), detail=True),
        max_size=2,
    ),
    thinking=st.lists(TEXT.map(lambda text: ThinkingPart(text=text)), max_size=1),
)


def strict_for_all(request: ChatRequest) -> ChatRequest:
    """``request`` as Cohere's one ``strict_tools`` flag gives it back."""
    if not any(tool.strict for tool in request.tools or ()):
        return request
    tools: list[ToolSpec] = [
        tool.model_copy(update={"strict": True}) for tool in request.tools or ()
    ]
    return request.model_copy(update={"tools": tools})


@given(requests(CARRIES))
def test_cohere_keeps_every_field(request: ChatRequest) -> None:
    assert roundtrip(CohereProtocol(), request) == system_first(strict_for_all(request))


def test_strict_tools_read_back_as_each_tools_strict() -> None:
    """``strict_tools: true`` was left in ``extra``, so a strict tool came back not strict."""
    tool = ToolSpec(name="f", description="does f", strict=True)
    request = ChatRequest(model="command-a", messages=[], tools=[tool])
    decoded = roundtrip(CohereProtocol(), request)
    assert decoded.tools == [tool]
    assert decoded.extra == {}
