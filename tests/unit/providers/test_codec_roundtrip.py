"""Property: a request encoded for the wire and decoded again is the request it was.

For the OpenAI Chat Completions and the Anthropic Messages protocols, hypothesis builds
requests from what both carry without loss (text turns, tool calls and their results,
a system prompt, tools, tool choice and sampling settings; see
:mod:`tests.unit.providers.codec_strategies`); ``decode_request(encode_request(r))``
must give ``r`` back, field for field. The other protocols have a module each
(``test_codec_roundtrip_<protocol>.py``).
"""

from __future__ import annotations

from hypothesis import given
from tests.unit.providers.codec_strategies import (
    Carries,
    requests,
    roundtrip,
    tool_turns_joined,
)

from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.types import ChatRequest

CARRIES = Carries()


@given(requests(CARRIES))
def test_openai_keeps_every_field(request: ChatRequest) -> None:
    assert roundtrip(OpenAIChatProtocol(), request) == request


@given(requests(CARRIES))
def test_anthropic_keeps_every_field(request: ChatRequest) -> None:
    """Anthropic has no tool role: the results answering one assistant turn travel as one
    user turn, so they return as one message."""
    assert roundtrip(AnthropicProtocol(), request) == tool_turns_joined(request)
