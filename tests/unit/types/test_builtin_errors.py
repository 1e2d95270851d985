"""fluent-ai's TimeoutError and ConnectionError are also the builtins they are named after.

They shadow the builtins wherever ``from fluent_ai.types import TimeoutError`` is
written, so code that means the builtin must still catch them.
"""

from __future__ import annotations

import builtins
import pickle

import pytest

from fluent_ai.http import HttpClient, Timeouts
from fluent_ai.types import errors
from tests.unit.http.loopback import Reply, loopback_server, refused_url

CASES = [
    (errors.TimeoutError, builtins.TimeoutError),
    (errors.ConnectionError, builtins.ConnectionError),
]


@pytest.mark.parametrize(("ours", "builtin"), CASES)
def test_each_is_the_builtin_and_a_fluent_ai_provider_error(
    ours: type[errors.ProviderError], builtin: type[OSError]
) -> None:
    error = ours("no answer", provider="openai", status=504)
    assert isinstance(error, builtin)
    assert isinstance(error, OSError)
    assert isinstance(error, errors.ProviderError)
    assert isinstance(error, errors.FluentAIError)
    assert error.retryable
    assert str(error) == "[openai, HTTP 504] no answer (retrying may help)"
    assert error.args == ("no answer",)
    assert error.errno is None


@pytest.mark.parametrize(("ours", "builtin"), CASES)
def test_except_the_builtin_catches_it(
    ours: type[errors.ProviderError], builtin: type[OSError]
) -> None:
    with pytest.raises(builtin) as caught:
        raise ours("cut off", provider="groq")
    assert isinstance(caught.value, ours)
    assert caught.value.provider == "groq"


@pytest.mark.parametrize(("ours", "builtin"), CASES)
def test_it_pickles_with_its_fields(
    ours: type[errors.ProviderError], builtin: type[OSError]
) -> None:
    error = ours("no answer from sk-proj-abcdefghijklmnop", provider="openai", retryable=False)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ours
    assert (copy.message, copy.provider, copy.retryable) == (
        error.message,
        "openai",
        False,
    )
    assert "sk-proj" not in str(copy)


async def text_or_reason(client: HttpClient, url: str) -> str:
    """User code written against the builtins, fluent-ai's names not imported."""
    try:
        return (await client.request("GET", url)).text
    except builtins.TimeoutError:
        return "timed out"
    except builtins.ConnectionError:
        return "no connection"


async def test_the_http_clients_errors_are_caught_as_the_builtins() -> None:
    limits = Timeouts(connect=1.0, read=0.1, write=1.0, pool=1.0, total=None)
    with loopback_server() as server:
        server.reply(Reply(200, delay=1.0))
        async with HttpClient(retry=None, timeouts=limits) as client:
            assert await text_or_reason(client, refused_url()) == "no connection"
            assert await text_or_reason(client, server.url()) == "timed out"
