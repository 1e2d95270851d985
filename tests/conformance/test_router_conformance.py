"""A router over one deployment answers every recorded call exactly as the model alone does.

The same recordings as :mod:`tests.conformance.test_conformance`, over the same
loopback replay, but asked through :class:`~fluent_ai.engine.Router`: the same text,
tool calls, usage and finish reason, the same typed error for an error status (a
router with nowhere to fail over raises the model's own error), and in a stream the
same event order (the route's provider data comes before ``Finish``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fluent_ai.engine import Deployment, Route, Router
from fluent_ai.http import HttpClient
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import ChatResponse, StreamEvent, collect_events, collect_stream
from tests.conformance.suite import Suite, parse_args
from tests.conformance.test_conformance import CASES
from tests.conformance.test_event_order import check_order
from tests.support.cassettes import load
from tests.support.replay import replay_server


@pytest.mark.parametrize(("suite", "path", "index"), CASES)
async def test_a_router_answers_as_its_model_does(suite: Suite, path: Path, index: int) -> None:
    item = load(path)[index]
    body = suite.request_body(item)
    assert isinstance(body, dict)
    stream = suite.is_stream(item)
    request = suite.protocol.decode_request(body)
    if not request.model:  # Gemini's model is in the URL: /models/NAME:generateContent
        name = item.path.rsplit("/models/", 1)[1].split(":", 1)[0]
        request = request.model_copy(update={"model": name})
    expected = suite.expected(item)
    events: list[StreamEvent] = []
    async with HttpClient(retry=None) as client:
        with replay_server([item]) as server:
            endpoint = suite.protocol.path(request, stream=stream).split("?", 1)[0]
            model = HttpChatModel(
                suite.profile,
                suite.protocol,
                api_key="sk-test-key",
                base_url=server.base_url + item.path.removesuffix(endpoint),
                client=client,
            )
            spec = f"{suite.profile.name}/{request.model}"
            router = Router([Deployment(spec, name="only", chat_model=model)], retry=None)
            routed = request.model_copy(update={"model": "whatever the caller wrote"})
            if expected.error is not None:
                with pytest.raises(expected.error) as info:
                    await (
                        collect_stream(router.stream(routed)) if stream else router.complete(routed)
                    )
                assert "sk-test-key" not in str(info.value)
                assert info.value.provider == suite.profile.name
                assert Route.of(info.value) is not None
                return
            if stream:
                events = [event async for event in router.stream(routed)]
                response: ChatResponse = collect_events(events)
            else:
                response = await router.complete(routed)
        assert not server.errors, server.errors  # the path (and so the model) as recorded

    route = Route.of(response)
    assert route is not None
    assert route.deployment == "only"
    if stream:
        check_order(events)
    assert response.text == expected.text
    got_calls = [(c.name, parse_args(c.arguments)) for c in response.tool_calls]
    assert got_calls == expected.tool_calls
    if expected.input_tokens is not None:
        assert response.usage.input_tokens == expected.input_tokens
    if expected.output_tokens is not None:
        assert response.usage.output_tokens == expected.output_tokens
    if expected.finish_reason is not None:
        assert response.finish_reason == expected.finish_reason
    if expected.thinking is not None:
        assert response.thinking == expected.thinking
