"""decode -> encode of every recorded Mistral request body, messages included.

The conformance harness compares top-level fields exactly and leaves ``messages`` out
(see ``roundtrip_ignore`` in tests/conformance/suites/mistral.py). Here ``messages`` are
compared exactly too, after rewriting the recorded ones with the only differences the
neutral types cannot keep. Each rewrite is listed, so nothing else can slip through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.support.cassettes import cassettes, load

from fluent_ai.providers.mistral import MistralProtocol

CASES = [
    pytest.param(path, index, id=f"{path.stem}#{index}")
    for path in cassettes("mistral")
    for index, item in enumerate(load(path))
    if isinstance(item.request_body, dict) and "messages" in item.request_body
]


def spelled_our_way(message: dict[str, Any], last: bool) -> dict[str, Any]:
    """The recorded message in the spelling the encoder picks for the same meaning."""
    out = {key: value for key, value in message.items() if value not in (None, [])}
    out.pop("prefix", None)  # recomputed: true only on a trailing assistant turn
    if message["role"] == "assistant":
        out.setdefault("content", [])  # an assistant turn with only tool calls sends []
        if last:
            out["prefix"] = True
    content = out.get("content")
    if isinstance(content, list) and len(content) == 1 and content[0]["type"] == "text":
        out["content"] = content[0]["text"]  # one text chunk is sent as a plain string
    if "tool_calls" in out:
        # A call's position in the list is its index: the field is not sent.
        out["tool_calls"] = [
            {k: v for k, v in call.items() if k != "index"} for call in out["tool_calls"]
        ]
    return out


def test_recordings_were_found() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize(("path", "index"), CASES)
def test_recorded_body_survives_decode_and_encode(path: Path, index: int) -> None:
    body = load(path)[index].request_body
    protocol = MistralProtocol()
    encoded = protocol.encode_request(
        protocol.decode_request(body), stream=bool(body.get("stream"))
    )
    for key, value in body.items():
        if key != "messages":
            assert encoded[key] == value, key
    messages = body["messages"]
    expected = [spelled_our_way(m, i == len(messages) - 1) for i, m in enumerate(messages)]
    assert encoded["messages"] == expected
