"""Error bodies never carry the caller's key out, whatever its format."""

from __future__ import annotations

import dataclasses
import json

import pytest
from tests.support.cassettes import cassettes, load
from tests.support.replay import replay_server

from fluent_ai.providers.catalog import chat_model
from fluent_ai.types import AuthenticationError, ChatRequest, InvalidRequestError, Message

# A key with no recognisable vendor prefix: pattern-based redaction cannot spot it.
KEY = "Zq7wPlainLettersKey0042"


async def test_an_echoed_key_is_cut_from_message_and_body() -> None:
    item = load(cassettes("mistral")[0])[0]
    echo = {"error": {"message": f"Incorrect API key provided: {KEY}", "code": "invalid_api_key"}}
    failing = dataclasses.replace(item, status=401, response_body=echo)
    with replay_server([failing]) as server:
        model = chat_model(
            "mistral/mistral-small-latest", api_key=KEY, base_url=server.base_url + "/v1"
        )
        request = ChatRequest(model="mistral-small-latest", messages=[Message.user("hi")])
        with pytest.raises(AuthenticationError) as info:
            await model.complete(request)
    caught = info.value
    assert not server.errors
    assert KEY not in str(caught)
    assert KEY not in repr(caught)
    assert KEY not in json.dumps(caught.body)
    assert "[REDACTED]" in str(caught)


@pytest.mark.parametrize("key", ["k", "EMPTY", "ollama"])
async def test_a_short_placeholder_key_does_not_garble_the_message(key: str) -> None:
    """``OPENAI_API_KEY=k`` once turned "tokens" into "to[REDACTED]ens"."""
    item = load(cassettes("mistral")[0])[0]
    text = "Invalid request: too many tokens in 'stop' for model ollama-k (EMPTY stop)"
    rejected = {"error": {"message": text, "code": "invalid_request"}}
    failing = dataclasses.replace(item, status=400, response_body=rejected)
    with replay_server([failing]) as server:
        model = chat_model(
            "mistral/mistral-small-latest", api_key=key, base_url=server.base_url + "/v1"
        )
        request = ChatRequest(model="mistral-small-latest", messages=[Message.user("hi")])
        with pytest.raises(InvalidRequestError) as info:
            await model.complete(request)
    assert text in str(info.value)
    assert "[REDACTED]" not in str(info.value)
