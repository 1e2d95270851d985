"""The order of stream events is the same for every protocol, on every recorded answer.

The contract (see :mod:`fluent_ai.types.events`): ``ResponseStart`` first, at most one
``Finish`` and it is the very last event, so every ``UsageUpdate`` (and any
``ProviderData``) arrives before it. Vendors order their wire differently (OpenAI sends
the usage chunk after the ``finish_reason`` chunk); the decoders hide that. Streamed
calls go through the whole HTTP path over a loopback replay; whole answers through the
protocol's ``decode_response``, since a non-streaming call is the collected stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from fluent_ai.http import HttpClient
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import Finish, ResponseStart, StreamEvent
from tests.conformance.suite import Suite
from tests.conformance.test_conformance import SUITES
from tests.support.cassettes import cassettes, load
from tests.support.replay import replay_server

CASES: list[tuple[Suite, Path, int]] = [
    (suite, path, index)
    for suite in SUITES.values()
    for path in cassettes(suite.folder)
    for index, item in enumerate(load(path))
    if suite.is_chat(item) and suite.expected(item).error is None
]
"""Every recorded chat answer that is no error: its suite, cassette and index in it."""
ANSWERS = [
    pytest.param(suite, path, index, id=f"{suite.folder}/{path.stem}#{index}")
    for suite, path, index in CASES
]


def check_order(events: Sequence[StreamEvent]) -> None:
    kinds = [type(event).__name__ for event in events]
    assert events, "no events at all"
    starts = [i for i, event in enumerate(events) if isinstance(event, ResponseStart)]
    assert starts in ([], [0]), f"ResponseStart, when sent, comes first and once: {kinds}"
    finishes = [i for i, event in enumerate(events) if isinstance(event, Finish)]
    assert finishes == [len(events) - 1], f"Finish must be the one last event: {kinds}"


def test_the_recordings_hold_streams() -> None:
    streamed = [
        (suite, path, index) for suite, path, index in CASES if suite.is_stream(load(path)[index])
    ]
    assert len(streamed) >= 10


@pytest.mark.parametrize(("suite", "path", "index"), ANSWERS)
@pytest.mark.usefixtures("network")
async def test_finish_is_the_last_event(suite: Suite, path: Path, index: int) -> None:
    item = load(path)[index]
    body = suite.request_body(item)
    assert isinstance(body, dict)
    stream = suite.is_stream(item)
    if not stream:
        assert isinstance(item.response_body, dict)
        check_order(suite.protocol.decode_response(item.response_body))
        return
    request = suite.protocol.decode_request(body)
    events: list[StreamEvent] = []
    async with HttpClient(retry=None) as client:
        with replay_server([item]) as server:
            endpoint = suite.protocol.path(request, stream=True).split("?", 1)[0]
            model = HttpChatModel(
                suite.profile,
                suite.protocol,
                api_key="sk-test-key",
                base_url=server.base_url + item.path.removesuffix(endpoint),
                client=client,
            )
            events = [event async for event in model.stream(request)]
        assert not server.errors, server.errors
    check_order(events)
