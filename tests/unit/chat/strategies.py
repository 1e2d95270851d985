"""Hypothesis strategies for messages and conversations covering every part type."""

from __future__ import annotations

from hypothesis import strategies as st

from fluent_ai.chat import Conversation
from fluent_ai.types import (
    DocumentPart,
    ImagePart,
    Message,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)

texts = st.text(max_size=40)
optional_texts = st.none() | texts
media_types = st.none() | st.sampled_from(["image/png", "application/pdf", "text/plain"]) | texts


def _binary(
    kind: type[ImagePart] | type[DocumentPart], **extra: st.SearchStrategy[object]
) -> st.SearchStrategy[Part]:
    by_url: st.SearchStrategy[Part] = st.builds(kind, url=texts, media_type=media_types, **extra)
    by_bytes: st.SearchStrategy[Part] = st.builds(
        kind, data=st.binary(max_size=64), media_type=media_types, **extra
    )
    return by_url | by_bytes


parts: st.SearchStrategy[Part] = st.one_of(
    st.builds(TextPart, text=texts),
    _binary(ImagePart, detail=st.none() | st.sampled_from(["auto", "low", "high"])),
    _binary(DocumentPart, name=optional_texts),
    st.builds(ToolCallPart, id=texts, name=texts, arguments=texts),
    st.builds(
        ToolResultPart,
        tool_call_id=texts,
        content=texts,
        name=optional_texts,
        is_error=st.booleans(),
    ),
    st.builds(ThinkingPart, text=texts, signature=optional_texts, redacted=optional_texts),
)

messages = st.builds(
    Message,
    role=st.sampled_from(["system", "user", "assistant", "tool"]),
    parts=st.lists(parts, max_size=4),
    name=optional_texts,
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)

conversations = st.builds(
    Conversation,
    system=optional_texts,
    messages=st.lists(messages, max_size=5),
    metadata=st.dictionaries(texts, json_values, max_size=4),
)
