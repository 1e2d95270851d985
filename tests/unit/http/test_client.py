"""HttpClient against a real loopback server: retries, timeouts, typed errors, streams."""

from __future__ import annotations

import asyncio
from email.utils import formatdate

import pytest

from fluent_ai.http import HttpClient, RetryPolicy, Timeouts, aiter_sse_response, default_client
from fluent_ai.types import errors
from tests.unit.http.conftest import Sleeps
from tests.unit.http.loopback import Loopback, Reply, refused_url

FAST = Timeouts(connect=1.0, read=0.2, write=1.0, pool=1.0, total=None)


async def test_429_with_retry_after_is_retried_after_the_asked_wait(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(Reply(429, {"retry-after": "2"}, b"slow down"), Reply(200, body=b"ok"))
    async with HttpClient(retry=policy) as client:
        response = await client.request("GET", server.url("/models"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert sleeps == [2.0]
    assert len(server.received) == 2


async def test_retry_after_ms_wins_over_retry_after(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(Reply(429, {"retry-after-ms": "250", "retry-after": "1"}), Reply(200))
    async with HttpClient(retry=policy) as client:
        response = await client.request("POST", server.url(), json={"a": 1})
    assert response.status_code == 200
    assert sleeps == [0.25]
    assert [r.body for r in server.received] == [b'{"a":1}', b'{"a":1}']


async def test_a_wait_longer_than_max_retry_after_hands_back_the_429(
    server: Loopback, sleeps: Sleeps
) -> None:
    later = formatdate(timeval=4_000_000_000, usegmt=True)
    server.reply(Reply(429, {"retry-after": later}, b'{"error": "quota"}'))
    policy = RetryPolicy(max_retry_after=60.0, sleep=sleeps)
    async with HttpClient(retry=policy) as client:
        response = await client.request("GET", server.url())
    assert response.status_code == 429
    assert response.json() == {"error": "quota"}
    assert sleeps == []
    assert len(server.received) == 1


async def test_500_twice_then_200(server: Loopback, policy: RetryPolicy, sleeps: Sleeps) -> None:
    server.reply(Reply(500), Reply(502), Reply(200, body=b"done"))
    async with HttpClient(retry=policy) as client:
        response = await client.request("GET", server.url())
    assert response.content == b"done"
    assert len(sleeps) == 2
    assert 0.0 <= sleeps[0] <= 0.5
    assert 0.0 <= sleeps[1] <= 1.0


async def test_the_last_retryable_response_is_returned_when_attempts_run_out(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(Reply(503), Reply(503), Reply(529, body=b"overloaded"))
    async with HttpClient(retry=policy) as client:
        response = await client.request("GET", server.url())
    assert response.status_code == 529
    assert response.content == b"overloaded"
    assert len(server.received) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 404, 422])
async def test_client_errors_are_not_retried(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps, status: int
) -> None:
    server.reply(Reply(status, body=b"bad"))
    async with HttpClient(retry=policy) as client:
        response = await client.request("POST", server.url(), json={})
    assert response.status_code == status
    assert response.content == b"bad"
    assert len(server.received) == 1
    assert sleeps == []


async def test_x_should_retry_overrides_the_status(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(Reply(503, {"x-should-retry": "false"}))
    async with HttpClient(retry=policy) as client:
        response = await client.request("GET", server.url())
    assert response.status_code == 503
    assert len(server.received) == 1


async def test_retry_none_sends_once(server: Loopback) -> None:
    server.reply(Reply(500), Reply(200))
    async with HttpClient(retry=None) as client:
        response = await client.request("GET", server.url())
    assert response.status_code == 500
    assert len(server.received) == 1


async def test_connection_refused_is_a_typed_connection_error(
    policy: RetryPolicy, sleeps: Sleeps, network: str
) -> None:
    async with HttpClient(retry=policy) as client:
        with pytest.raises(errors.ConnectionError) as caught:
            await client.request("GET", refused_url(), provider="openai")
    assert caught.value.provider == "openai"
    assert caught.value.retryable
    assert len(sleeps) == 2


async def test_read_timeout_is_a_typed_timeout_error(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(*[Reply(200, delay=1.0) for _ in range(3)])
    async with HttpClient(retry=policy, timeouts=FAST) as client:
        with pytest.raises(errors.TimeoutError) as caught:
            await client.request("GET", server.url(), provider="anthropic")
    assert caught.value.provider == "anthropic"
    assert "waiting for data (limit 0.2 s)" in str(caught.value)
    assert len(server.received) == 3


async def test_a_timeout_then_success_is_retried(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(Reply(200, delay=1.0), Reply(200, body=b"second"))
    async with HttpClient(retry=policy, timeouts=FAST) as client:
        response = await client.request("GET", server.url())
    assert response.content == b"second"
    assert len(sleeps) == 1


async def test_total_deadline_covers_the_whole_call(server: Loopback) -> None:
    server.reply(Reply(200, delay=1.0))
    limits = Timeouts(connect=1.0, read=5.0, write=1.0, pool=1.0, total=0.2)
    async with HttpClient(retry=None, timeouts=limits) as client:
        with pytest.raises(errors.TimeoutError, match=r"total limit of 0\.2 s"):
            await client.request("GET", server.url(), provider="groq")


async def test_a_wait_past_the_deadline_is_not_started(server: Loopback, sleeps: Sleeps) -> None:
    server.reply(Reply(429, {"retry-after": "30"}))
    limits = Timeouts(connect=1.0, read=1.0, write=1.0, pool=1.0, total=5.0)
    async with HttpClient(retry=RetryPolicy(sleep=sleeps), timeouts=limits) as client:
        response = await client.request("GET", server.url())
    assert response.status_code == 429
    assert sleeps == []


async def test_errors_never_show_keys_or_query_strings(network: str) -> None:
    secret = "sk-proj-abcdefghijklmnopqrstuvwxyz"
    async with HttpClient(retry=None) as client:
        with pytest.raises(errors.ConnectionError) as caught:
            await client.request(
                "GET",
                refused_url() + "v1beta/models?key=AIzaSyA-abcdefghijklmnopqrstuvwx",
                headers={"authorization": f"Bearer {secret}"},
            )
    text = str(caught.value) + repr(caught.value)
    assert secret not in text
    assert "AIza" not in text
    assert "/v1beta/models" in text


async def test_http2_client_talks_to_an_http11_server(server: Loopback) -> None:
    server.reply(Reply(200, body=b"hello"))
    async with HttpClient(http2=True) as client:
        response = await client.request("GET", server.url())
    assert response.content == b"hello"
    assert response.http_version == "HTTP/1.1"


async def test_default_headers_and_params_are_sent(server: Loopback) -> None:
    server.reply(Reply(200))
    async with HttpClient(headers={"x-client": "fluent"}) as client:
        await client.request("GET", server.url("/list"), params={"limit": 5})
    assert server.received[0].path == "/list?limit=5"
    assert server.received[0].headers["x-client"] == "fluent"


async def test_an_invalid_url_is_a_configuration_error() -> None:
    async with HttpClient() as client:
        with pytest.raises(errors.ConfigurationError):
            await client.request("GET", "http://[::1")


async def test_stream_retries_until_headers_arrive(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(
        Reply(503),
        Reply(200, {"content-type": "text/event-stream"}, chunks=[b"data: a\n\n", b"data: b\n\n"]),
    )
    async with (
        HttpClient(retry=policy) as client,
        client.stream("POST", server.url(), json={"stream": True}) as response,
    ):
        events = [event.data async for event in aiter_sse_response(response)]
    assert events == ["a", "b"]
    assert len(server.received) == 2
    assert len(sleeps) == 1


async def test_stream_error_response_has_its_body_read(server: Loopback) -> None:
    server.reply(Reply(400, body=b'{"error": {"message": "bad model"}}'))
    async with HttpClient() as client, client.stream("POST", server.url(), json={}) as response:
        assert response.status_code == 400
        assert response.json() == {"error": {"message": "bad model"}}


async def test_a_stream_that_breaks_after_yielding_is_not_retried(
    server: Loopback, policy: RetryPolicy, sleeps: Sleeps
) -> None:
    server.reply(
        Reply(200, chunks=[b"data: first\n\n"], cut=True),
        Reply(200, chunks=[b"data: should never be requested\n\n"]),
    )
    seen: list[str] = []

    async def read(client: HttpClient) -> None:
        async with client.stream("POST", server.url(), provider="openai") as response:
            async for event in aiter_sse_response(response):
                seen.append(event.data)

    async with HttpClient(retry=policy) as client:
        with pytest.raises(errors.StreamInterruptedError) as caught:
            await read(client)
    assert seen == ["first"]
    assert caught.value.provider == "openai"
    assert len(server.received) == 1
    assert sleeps == []


async def test_a_stalled_stream_is_interrupted_by_the_read_timeout(server: Loopback) -> None:
    server.reply(Reply(200, delay=1.0))
    async with HttpClient(retry=None) as client:
        with pytest.raises(errors.TimeoutError):
            async with client.stream("GET", server.url(), timeouts=FAST):
                pass


async def test_default_client_is_shared_within_a_loop_and_not_across() -> None:
    first = default_client()
    assert default_client() is first

    def in_another_loop() -> HttpClient:
        async def get() -> HttpClient:
            return default_client()

        return asyncio.run(get())

    other = await asyncio.to_thread(in_another_loop)
    assert other is not first
    await first.aclose()
    assert default_client() is not first
