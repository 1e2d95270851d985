"""Hypothesis strategies for the requests a protocol carries without loss.

Every protocol's round-trip property (``decode_request(encode_request(r)) == r``) draws
its requests from :func:`requests`, told by a :class:`Carries` what that protocol's wire
keeps: which tool choices, sampling settings, response formats, media and thinking it
has fields for. What a wire cannot carry is left out of the draw and named in the
protocol's test module, so a property never passes by comparing less than it should.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from fluent_ai.providers.base import ChatProtocol
from fluent_ai.types import (
    ChatRequest,
    DocumentPart,
    ImagePart,
    Message,
    Part,
    ResponseFormat,
    TextPart,
    ToolCallPart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
)

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1)
NAME = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_]{0,20}", fullmatch=True)
JSON_OBJECT = st.dictionaries(NAME, st.integers() | TEXT | st.booleans(), max_size=3)
SCHEMA = st.just({"type": "object", "properties": {"x": {"type": "string"}}})
STRICT_SCHEMA = {
    "type": "object",
    "properties": {"x": {"type": "string"}},
    "required": ["x"],
    "additionalProperties": False,
}
"""A schema already in OpenAI's strict form, so a strict format sends it unchanged."""
NOTHING = st.none()
NO_PARTS: st.SearchStrategy[Sequence[Part]] = st.just(())
METADATA = st.dictionaries(NAME, st.text(max_size=10), min_size=1, max_size=3)

MAGIC = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "image/gif": b"GIF89a",
    "image/webp": b"RIFF\x00\x00\x00\x00WEBP",
    "application/pdf": b"%PDF-",
    "text/plain": b"plain text: ",
    "text/csv": b"a,b\n",
}
"""Leading bytes for each media type drawn, so bytes and media type agree (some wires
send no media type and the reader recognises it from the bytes)."""


def arguments(value: dict[str, Any]) -> str:
    """Arguments as JSON text, spelled as the protocols spell what they decode: most carry
    an object, not text, so only its meaning survives the wire."""
    return json.dumps(value, ensure_ascii=False)


def inline(media_types: list[str]) -> st.SearchStrategy[tuple[bytes, str]]:
    """``(bytes, media type)`` whose first bytes announce the type."""
    return st.sampled_from(media_types).flatmap(
        lambda kind: st.binary(max_size=12).map(lambda tail: (MAGIC[kind] + tail, kind))
    )


def images(
    media_types: list[str],
    *,
    urls: st.SearchStrategy[str] | None = None,
    detail: bool = False,
    typed_urls: bool = False,
) -> st.SearchStrategy[ImagePart]:
    """Images as bytes with their media type, and by URL when ``urls`` is given (with a
    media type when ``typed_urls``); ``detail`` when the wire has OpenAI's hint."""
    details = st.sampled_from([None, "auto", "low", "high"]) if detail else st.none()
    kinds = st.sampled_from(media_types)
    by_bytes = st.builds(
        lambda data, detail: ImagePart(data=data[0], media_type=data[1], detail=detail),
        inline(media_types),
        details,
    )
    if urls is None:
        return by_bytes
    by_url = st.builds(
        lambda url, kind, detail: ImagePart(
            url=url, media_type=kind if typed_urls else None, detail=detail
        ),
        urls,
        kinds,
        details,
    )
    return by_bytes | by_url


def documents(
    media_types: list[str],
    *,
    urls: st.SearchStrategy[str] | None = None,
    names: st.SearchStrategy[str | None] = NOTHING,
    typed_urls: bool = False,
) -> st.SearchStrategy[DocumentPart]:
    """Documents as bytes with their media type, and by URL when ``urls`` is given."""
    by_bytes = st.builds(
        lambda data, name: DocumentPart(data=data[0], media_type=data[1], name=name),
        inline(media_types),
        names,
    )
    if urls is None:
        return by_bytes
    by_url = st.builds(
        lambda url, kind, name: DocumentPart(
            url=url, media_type=kind if typed_urls else None, name=name
        ),
        urls,
        st.sampled_from(media_types),
        names,
    )
    return by_bytes | by_url


def named_formats(*, strict: bool = True) -> st.SearchStrategy[ResponseFormat]:
    """JSON-schema formats with a name and maybe a description (and ``strict``, whose
    schema is drawn already in strict form, since the wire sends the strict form)."""
    loose = st.builds(
        ResponseFormat,
        type=st.just("json_schema"),
        name=NAME,
        json_schema=SCHEMA,
        description=st.none() | TEXT,
        strict=st.sampled_from([None, False]) if strict else st.none(),
    )
    if not strict:
        return loose
    tight = st.builds(
        ResponseFormat,
        type=st.just("json_schema"),
        name=NAME,
        json_schema=st.just(STRICT_SCHEMA),
        description=st.none() | TEXT,
        strict=st.just(True),
    )
    return loose | tight


def web_urls(suffix: str = "") -> st.SearchStrategy[str]:
    return NAME.map(lambda name: f"https://example.com/{name}{suffix}")


@dataclass(frozen=True)
class Carries:
    """What one protocol's wire keeps; :func:`requests` draws only that."""

    choices: tuple[str, ...] = ("auto", "required", "tool")
    """Tool choice modes with a wire spelling ("tool" is one named tool)."""
    stop: bool = True
    seed: bool = False
    metadata: bool = False
    strict: st.SearchStrategy[bool | None] = NOTHING
    """A tool's ``strict`` values the wire keeps."""
    formats: st.SearchStrategy[ResponseFormat | None] = NOTHING
    media: st.SearchStrategy[Sequence[Part]] = NO_PARTS
    """Images and documents added to a user turn after its text."""
    thinking: st.SearchStrategy[Sequence[Part]] = NO_PARTS
    """Thinking parts that open an assistant turn."""
    result_names: bool = False
    """Tool results name their tool (the wire always says it, or keeps it)."""
    errors: bool = False
    """A tool result's ``is_error`` flag has a wire field."""
    call_id: Callable[[int, int], str] = "call_{}_{}".format
    """The id of the n-th call of the i-th exchange, as the wire keeps ids."""


@st.composite
def exchange(draw: st.DrawFn, carries: Carries, index: int) -> list[Message]:
    """A user turn and the assistant's answer: text, or tool calls and their results
    then a text answer."""
    messages = [Message(role="user", parts=[TextPart(text=draw(TEXT)), *draw(carries.media)])]
    calls = [
        ToolCallPart(
            id=carries.call_id(index, n), name=draw(NAME), arguments=arguments(draw(JSON_OBJECT))
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    if calls:
        messages.append(Message(role="assistant", parts=[*draw(carries.thinking), *calls]))
        for call in calls:
            result = ToolResultPart(
                tool_call_id=call.id,
                content=draw(TEXT),
                name=call.name if carries.result_names else None,
                is_error=draw(st.booleans()) if carries.errors else False,
            )
            messages.append(Message(role="tool", parts=[result]))
    answer = [*draw(carries.thinking), TextPart(text=draw(TEXT))]
    messages.append(Message(role="assistant", parts=answer))
    return messages


@st.composite
def requests(draw: st.DrawFn, carries: Carries) -> ChatRequest:
    turns = draw(st.integers(1, 3))
    messages = [m for i in range(turns) for m in draw(exchange(carries, i))][:-1]
    tools = draw(
        st.none()
        | st.lists(
            st.builds(
                ToolSpec, name=NAME, description=TEXT, parameters=SCHEMA, strict=carries.strict
            ),
            min_size=1,
            max_size=2,
            unique_by=lambda tool: tool.name,
        )
    )
    choice = None
    if tools and carries.choices:
        named = [ToolChoice(mode="tool", name=tools[0].name)] if "tool" in carries.choices else []
        plain = [ToolChoice.model_validate({"mode": m}) for m in carries.choices if m != "tool"]
        choice = draw(st.none() | st.sampled_from([*plain, *named]))
    return ChatRequest(
        model=draw(NAME),
        messages=messages,
        system=draw(st.none() | TEXT),
        temperature=draw(st.none() | st.floats(0, 1, allow_subnormal=False)),
        top_p=draw(st.none() | st.floats(0, 1, allow_subnormal=False)),
        max_tokens=draw(st.integers(1, 100_000)),
        stop=draw(st.none() | st.lists(TEXT, min_size=1, max_size=3)) if carries.stop else None,
        seed=draw(st.none() | st.integers(0, 2**31 - 1)) if carries.seed else None,
        metadata=draw(st.none() | METADATA) if carries.metadata else None,
        tools=tools,
        tool_choice=choice,
        response_format=draw(carries.formats),
    )


def roundtrip(protocol: ChatProtocol, request: ChatRequest, **server: Any) -> ChatRequest:
    """``request`` encoded, sent through JSON, and decoded; ``server`` adds what a server
    puts in the body from elsewhere (the model, for protocols that name it in the URL)."""
    body: dict[str, Any] = protocol.encode_request(request, stream=False)
    return protocol.decode_request({**json.loads(json.dumps(body)), **server})


def tool_turns_joined(request: ChatRequest) -> ChatRequest:
    """``request`` as a wire with no tool role gives it back: the results answering one
    assistant turn travel as one user turn, so they return as one message."""
    messages: list[Message] = []
    for message in request.messages:
        if message.role == "tool" and messages and messages[-1].role == "tool":
            joined = [*messages[-1].parts, *message.parts]
            messages[-1] = Message(role="tool", parts=joined)
        else:
            messages.append(message)
    return request.model_copy(update={"messages": messages})


def system_first(request: ChatRequest) -> ChatRequest:
    """``request`` as a wire that spells the system prompt as the first message gives it
    back: that message keeps its place in the history."""
    if request.system is None:
        return request
    messages = [Message.system(request.system), *request.messages]
    return request.model_copy(update={"system": None, "messages": messages})
