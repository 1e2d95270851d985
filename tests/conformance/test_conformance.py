"""Every recorded chat call, replayed over loopback HTTP through the whole path.

For each cassette interaction: the recorded request body is decoded into a
``ChatRequest`` and encoded back (nothing we support may be lost), sent to a replay
server over real HTTP, and the decoded answer (streamed or not) must agree with an
independent reading of the raw body; error statuses must raise the right typed error.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from fluent_ai.http import HttpClient
from fluent_ai.providers.remote import HttpChatModel
from tests.conformance import suites
from tests.conformance.suite import Suite, parse_args
from tests.support.cassettes import cassettes, load
from tests.support.replay import replay_server


def _discover() -> dict[str, Suite]:
    """Every ``SUITE`` / ``SUITES`` defined by a module in ``tests/conformance/suites``."""
    found: dict[str, Suite] = {}
    for info in pkgutil.iter_modules(suites.__path__):
        module = importlib.import_module(f"{suites.__name__}.{info.name}")
        listed = getattr(module, "SUITES", [getattr(module, "SUITE", None)])
        found.update({suite.folder: suite for suite in listed if suite is not None})
    return found


SUITES = _discover()

CASES = [
    pytest.param(suite, path, index, id=f"{suite.folder}/{path.stem}#{index}")
    for suite in SUITES.values()
    for path in cassettes(suite.folder)
    for index, item in enumerate(load(path))
    if suite.is_chat(item)
]


def test_every_suite_found_recordings() -> None:
    for folder in SUITES:
        assert cassettes(folder), f"no cassettes for {folder}: set FLUENT_AI_RECORDINGS"


def _roundtrip(suite: Suite, body: dict[str, object], stream: bool) -> None:
    request = suite.protocol.decode_request(body)
    encoded = suite.protocol.encode_request(request, stream=stream)
    for key, value in body.items():
        if key in suite.roundtrip_ignore:
            continue
        assert key in encoded, f"decode -> encode dropped {key!r}"
        assert encoded[key] == value, f"decode -> encode changed {key!r}"


@pytest.mark.parametrize(("suite", "path", "index"), CASES)
@pytest.mark.usefixtures("network")
async def test_recorded_call(suite: Suite, path: Path, index: int) -> None:
    item = load(path)[index]
    body = suite.request_body(item)
    assert isinstance(body, dict)
    stream = suite.is_stream(item)
    _roundtrip(suite, body, stream)
    request = suite.protocol.decode_request(body)
    expected = suite.expected(item)
    async with HttpClient(retry=None) as client:
        with replay_server([item]) as server:
            # Base URLs carry a path prefix (/v1, /openai/v1, /together/v1, ...): keep the
            # recorded one, so the request path matches the recording exactly.
            endpoint = suite.protocol.path(request, stream=stream).split("?", 1)[0]
            model = HttpChatModel(
                suite.profile,
                suite.protocol,
                api_key="sk-test-key",
                base_url=server.base_url + item.path.removesuffix(endpoint),
                client=client,
            )
            call = model.stream_response if stream else model.complete
            if expected.error is not None:
                with pytest.raises(expected.error) as info:
                    await call(request)
                assert "sk-test-key" not in str(info.value)
                assert info.value.provider == suite.profile.name
                return
            response = await call(request)
        assert not server.errors, server.errors
        sent = server.received[0]
        assert any("sk-test-key" in value for value in sent.headers.values())

    assert response.text == expected.text
    got_calls = [(c.name, parse_args(c.arguments)) for c in response.tool_calls]
    assert got_calls == expected.tool_calls
    if expected.input_tokens is not None:
        assert response.usage.input_tokens == expected.input_tokens
    if expected.output_tokens is not None:
        assert response.usage.output_tokens == expected.output_tokens
    if expected.cache_read_tokens is not None:
        assert response.usage.cache_read_tokens == expected.cache_read_tokens
    if expected.finish_reason is not None:
        assert response.finish_reason == expected.finish_reason
    if expected.thinking is not None:
        assert response.thinking == expected.thinking
