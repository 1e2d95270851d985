"""What the conformance harness needs to know about one provider folder.

Each suite pairs a wire protocol with an *independent* reading of the raw recorded
bodies (``expected``): simple code written for the test, not the translator under
test, so the two can disagree and the test can fail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fluent_ai.providers.base import ChatProtocol, ProviderProfile
from fluent_ai.types import FluentAIError
from tests.support.cassettes import Interaction


@dataclass
class Expected:
    """What the raw body says the answer is."""

    text: str = ""
    tool_calls: list[tuple[str, Any]] = field(default_factory=list)  # (name, parsed arguments)
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_tokens: int | None = None
    finish_reason: str | None = None  # a fluent_ai FinishReason value
    thinking: str | None = None  # None: not checked
    error: type[FluentAIError] | None = None  # the typed error the body must raise


@dataclass
class Suite:
    folder: str
    profile: ProviderProfile
    protocol: ChatProtocol
    is_chat: Callable[[Interaction], bool]
    expected: Callable[[Interaction], Expected]
    # Request fields (top-level keys of the recorded body) that decode -> encode must keep.
    roundtrip_ignore: frozenset[str] = frozenset()
    # Whether the recorded call streamed; most protocols say so in the body, some in the URL.
    is_stream: Callable[[Interaction], bool] = field(default=lambda item: body_streams(item))
    # The request body decode_request reads: the recorded one, plus what a protocol keeps
    # in the URL rather than the body (Bedrock's modelId).
    request_body: Callable[[Interaction], Any] = field(default=lambda item: item.request_body)


def body_streams(item: Interaction) -> bool:
    return isinstance(item.request_body, dict) and bool(item.request_body.get("stream"))


def parse_args(text: str) -> Any:
    return json.loads(text) if text.strip() else {}
