"""A Cohere answer is priced from the units Cohere bills, over the whole HTTP path.

Cohere reports the tokens its model read (its own preamble and tool templates
included) and, separately, the ``billed_units`` it charges for: 2935 input tokens
read against 2406 billed in this recording. Pricing the tokens overcharged.
"""

from __future__ import annotations

import pytest
from tests.support.cassettes import load, recordings_dir
from tests.support.replay import replay_server

from fluent_ai.models import cost_of, resolve
from fluent_ai.providers.catalog import chat_model
from fluent_ai.providers.cohere import CohereProtocol
from fluent_ai.types import Usage

CASSETTE = "test_cohere__test_request_usage_with_cached_tokens.yaml"


async def test_the_cost_is_the_billed_units_at_the_models_prices() -> None:
    path = recordings_dir() / "cohere" / CASSETTE
    if not path.exists():
        pytest.skip(f"{path} is missing: set FLUENT_AI_RECORDINGS")
    item = load(path)[0]
    assert isinstance(item.request_body, dict)
    assert isinstance(item.response_body, dict)
    recorded = item.response_body["usage"]
    billed = recorded["billed_units"]
    assert billed["input_tokens"] < recorded["tokens"]["input_tokens"]
    protocol = CohereProtocol()
    request = protocol.decode_request(item.request_body)
    prefix = item.path.removesuffix(protocol.path(request, stream=False))  # "/v2"
    with replay_server([item]) as server:
        model = chat_model(
            f"cohere/{request.model}", api_key="test-key", base_url=server.base_url + prefix
        )
        response = await model.complete(request)
    assert not server.errors
    assert (response.usage.input_tokens, response.usage.output_tokens) == (
        billed["input_tokens"],
        billed["output_tokens"],
    )
    assert response.usage.details["tokens"] == recorded["tokens"]
    expected = cost_of(resolve(f"cohere/{request.model}"), Usage(**billed))
    assert expected is not None
    assert expected.total > 0
    assert response.cost_usd == pytest.approx(expected.total)
