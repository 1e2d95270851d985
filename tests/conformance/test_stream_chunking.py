"""Property: every recorded stream decodes to the same events however the network cuts it.

A body arrives in chunks whose boundaries fall anywhere: inside a line, a UTF-8
character, a ``\\r\\n``. For each recorded streamed answer (server-sent events: Ollama's
JSON lines have no recordings, and their framing has its own property test), hypothesis
cuts the raw body at arbitrary offsets; the SSE parser and the protocol's stream decoder,
fed the pieces, must give exactly the events (or the typed error) they give for the whole
body at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluent_ai.http import SSEParser
from fluent_ai.providers.base import stream_format
from fluent_ai.types import FluentAIError, StreamError
from tests.conformance.suite import Suite
from tests.conformance.test_conformance import SUITES
from tests.support.cassettes import cassettes, load

STREAMS = [
    pytest.param(suite, path, index, id=f"{suite.folder}/{path.stem}#{index}")
    for suite in SUITES.values()
    if stream_format(suite.protocol) == "sse"
    for path in cassettes(suite.folder)
    for index, item in enumerate(load(path))
    if suite.is_chat(item) and suite.is_stream(item) and isinstance(item.response_body, str)
]


def decode(suite: Suite, pieces: list[bytes]) -> list[object]:
    """The events the pieces decode to, ending with the typed error if one is raised."""
    decoder = suite.protocol.stream_decoder()
    sse = SSEParser()
    events: list[object] = []
    try:
        for message in [m for piece in pieces for m in sse.feed(piece)] + sse.close():
            events += decoder.feed(message.data, message.event or "message")
        events += decoder.close()
    except FluentAIError as error:
        events.append(error)
    # Errors compare by identity: compare their type and message instead.
    return [comparable(event) for event in events]


def comparable(event: object) -> object:
    error = event.error if isinstance(event, StreamError) else event
    return (type(error), str(error)) if isinstance(error, Exception) else event


def test_the_recordings_hold_streams() -> None:
    assert len(STREAMS) >= 10


@pytest.mark.parametrize(("suite", "path", "index"), STREAMS)
@given(data=st.data())
def test_any_cut_decodes_as_the_whole_body(
    suite: Suite, path: Path, index: int, data: st.DataObject
) -> None:
    body = load(path)[index].response_body.encode()
    cuts = sorted(data.draw(st.sets(st.integers(1, max(len(body) - 1, 1)), max_size=20)))
    pieces = [body[start:end] for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    assert decode(suite, pieces) == decode(suite, [body])
