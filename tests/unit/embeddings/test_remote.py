"""Every remote vendor end to end, over a real socket to a wire-shape loopback server.

These are wire-shape tests, not recorded traffic: the server answers in each vendor's
documented format, with vectors computed from the texts (see ``vendor_server``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fluent_ai.http import HttpClient
from fluent_ai.types import (
    AuthenticationError,
    BadResponseError,
    InvalidRequestError,
    RateLimitError,
)
from tests.unit.embeddings.conftest import LIMITS, PROVIDERS, Sleeps, model_for
from tests.unit.embeddings.vendor_server import (
    DIMENSIONS,
    AnswerOrder,
    Reply,
    Request,
    VendorServer,
    vector_for,
    vendor_server,
)


@pytest.fixture(params=PROVIDERS)
def server(request: pytest.FixtureRequest) -> Iterator[VendorServer]:
    with vendor_server(request.param) as vendor:
        yield vendor


def texts(count: int) -> list[str]:
    return [f"t{i}" for i in range(count)]


async def test_batches_split_at_the_vendor_limit(server: VendorServer, client: HttpClient) -> None:
    limit = LIMITS[server.provider]
    inputs = texts(2 * limit + 3)

    result = await model_for(server, client).embed(inputs)

    assert sorted(server.batch_sizes) == [3, limit, limit]
    assert result.vectors == [vector_for(text) for text in inputs]
    assert (result.provider, result.model, result.dimensions) == (server.provider, "test-model", 8)


async def test_order_is_kept_when_batches_finish_in_reverse(
    server: VendorServer, client: HttpClient
) -> None:
    inputs = texts(6)
    order = AnswerOrder(["t4", "t2", "t0"])
    server.fault, server.after = order, order.done
    model = model_for(server, client, batch_size=2, concurrency=3)

    result = await model.embed(inputs)

    assert order.timed_out == []
    assert server.most_in_flight == 3
    assert result.vectors == [vector_for(text) for text in inputs]


async def test_concurrency_caps_batches_in_flight(server: VendorServer, client: HttpClient) -> None:
    server.delay = 0.05
    model = model_for(server, client, batch_size=1, concurrency=2)

    result = await model.embed(texts(8))

    assert len(server.received) == 8
    assert server.most_in_flight == 2
    assert len(result) == 8


async def test_429_is_retried_after_the_servers_wait(
    server: VendorServer, client: HttpClient, sleeps: Sleeps
) -> None:
    def rate_limit_once(request: Request) -> Reply | None:
        if request.number == 0:
            return server.error(429, "slow down", {"retry-after": "1"})
        return None

    server.fault = rate_limit_once

    result = await model_for(server, client).embed(["a", "b"])

    assert sleeps == [1.0]
    assert len(server.received) == 2
    assert result.vectors == [vector_for("a"), vector_for("b")]


async def test_429_that_persists_is_a_rate_limit_error(
    server: VendorServer, client: HttpClient
) -> None:
    server.fault = lambda request: server.error(429, "quota exceeded", {"retry-after": "2"})

    with pytest.raises(RateLimitError) as caught:
        await model_for(server, client).embed(["a"])

    assert len(server.received) == 3
    assert (caught.value.status, caught.value.retry_after) == (429, 2.0)
    assert caught.value.provider == server.provider
    assert "quota exceeded" in str(caught.value)


async def test_a_vector_of_another_length_is_a_bad_response(
    server: VendorServer, client: HttpClient
) -> None:
    def short_second_batch(request: Request) -> Reply | None:
        if request.texts[0] != "t2":
            return None
        vectors = [vector_for(text, DIMENSIONS) for text in request.texts]
        vectors[1] = vector_for(request.texts[1], DIMENSIONS + 8)
        return Reply(200, server.success(vectors, request))

    server.fault = short_second_batch

    with pytest.raises(BadResponseError, match=r"text 3 got a vector of 16 dimensions, expected 8"):
        await model_for(server, client, batch_size=2).embed(texts(6))


async def test_a_missing_vector_is_a_bad_response(server: VendorServer, client: HttpClient) -> None:
    def drop_one(request: Request) -> Reply:
        vectors = [vector_for(text) for text in request.texts[:-1]]
        return Reply(200, server.success(vectors, request))

    server.fault = drop_one

    with pytest.raises(BadResponseError, match="got 2 vectors for 3 texts"):
        await model_for(server, client).embed(["a", "b", "c"])


async def test_requested_dimensions_are_sent_and_enforced(
    server: VendorServer, client: HttpClient
) -> None:
    result = await model_for(server, client, dimensions=16).embed(["a", "b"])
    assert result.dimensions == 16
    assert result.vectors == [vector_for("a", 16), vector_for("b", 16)]

    server.fault = lambda request: Reply(200, server.success([vector_for("a")], request))
    with pytest.raises(BadResponseError, match="8 dimensions, expected 16"):
        await model_for(server, client, dimensions=16).embed(["a"])


@pytest.mark.parametrize("server", [p for p in PROVIDERS if p != "ollama"], indirect=True)
async def test_a_rejected_key_is_an_authentication_error_without_the_key(
    server: VendorServer, client: HttpClient
) -> None:
    wrong = "wrong-key-9f8e7d6c5b4a3210"
    with pytest.raises(AuthenticationError) as caught:
        await model_for(server, client, api_key=wrong).embed(["a"])

    error = caught.value
    assert (error.status, error.provider, error.retryable) == (401, server.provider, False)
    assert "invalid api key" in str(error)
    for shown in (str(error), repr(error), repr(error.body)):
        assert wrong not in shown
    assert len(server.received) == 1


@pytest.mark.parametrize("server", ["openai", "cohere"], indirect=True)
async def test_a_short_placeholder_key_does_not_garble_the_message(
    server: VendorServer, client: HttpClient
) -> None:
    """A key like ``k`` or ``EMPTY`` guards nothing; cutting it out of words garbled them."""
    server.key = "k"
    text = "the input holds too many tokens"
    server.fault = lambda request: server.error(400, text)
    with pytest.raises(InvalidRequestError) as caught:
        await model_for(server, client).embed(["a"])
    assert text in str(caught.value)


async def test_no_texts_make_no_request(server: VendorServer, client: HttpClient) -> None:
    calls: list[tuple[int, int]] = []

    result = await model_for(server, client).embed([], on_progress=lambda *c: calls.append(c))

    assert (result.vectors, result.dimensions, server.received, calls) == ([], 0, [], [])


async def test_progress_counts_texts_up_to_the_total(
    server: VendorServer, client: HttpClient
) -> None:
    calls: list[tuple[int, int]] = []
    model = model_for(server, client, batch_size=3)

    await model.embed(texts(10), on_progress=lambda done, total: calls.append((done, total)))

    assert [total for _, total in calls] == [10] * 4
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (10, 10)


async def test_token_counts_are_summed_over_batches(
    server: VendorServer, client: HttpClient
) -> None:
    result = await model_for(server, client, batch_size=2).embed(["one two", "three", "four"])

    expected = None if server.provider == "gemini" else 4
    assert result.input_tokens == expected


def test_the_sync_twin_embeds_from_plain_code(server: VendorServer) -> None:
    result = model_for(server, None).embed_sync(["a", "b"])

    assert result.vectors == [vector_for("a"), vector_for("b")]
