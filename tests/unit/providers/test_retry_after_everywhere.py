"""Every chat protocol and embedding wire reads Retry-After through the one shared reader.

A provider with a private copy of the parsing once crashed with a raw ``TypeError`` on
``Retry-After: Wed, 21 Oct 2015 07:28:00 -0000`` and reported ``retry_after=inf`` for
``inf``. Each error mapping must give a :class:`RateLimitError` whose ``retry_after``
is ``None`` or a finite, non-negative number of seconds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fluent_ai.embeddings.providers import REMOTE
from fluent_ai.http.retry import MAX_RETRY_AFTER
from fluent_ai.providers.catalog import NATIVE
from fluent_ai.providers.openai import PROFILES, protocol_for
from fluent_ai.types import ProviderError, RateLimitError

DecodeError = Callable[[int, Mapping[str, str], bytes], ProviderError]

BODY = json.dumps(
    {"error": {"message": "Rate limit reached", "type": "rate_limit_error", "code": "rate_limit"}}
).encode()


def _decoders() -> dict[str, DecodeError]:
    found: dict[str, DecodeError] = {}
    for name, load in NATIVE.items():
        # Azure speaks OpenAI's protocol and Vertex Gemini's; both need a cloud account
        # configured before they can be built.
        if name not in ("azure", "google-vertex"):
            found[f"chat:{name}"] = load()[1].decode_error
    for name in PROFILES:
        found[f"chat:{name}"] = protocol_for(name).decode_error
    for name, (_, wire) in REMOTE.items():
        found[f"embed:{name}"] = wire(name).decode_error
    return found


DECODERS = _decoders()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),
        ("inf", None),
        ("nan", None),
        ("-3", 0.0),
        ("7", 7.0),
        ("1e300", MAX_RETRY_AFTER),
    ],
)
@pytest.mark.parametrize("name", sorted(DECODERS))
def test_retry_after_is_read_the_same_way_by_every_provider(
    name: str, value: str, expected: float | None
) -> None:
    error = DECODERS[name](429, {"Retry-After": value}, BODY)
    assert isinstance(error, RateLimitError), type(error)
    assert error.retry_after == expected


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=50)
@given(value=st.text(alphabet=st.characters(codec="latin-1")))
@pytest.mark.parametrize("name", sorted(DECODERS))
def test_no_header_text_breaks_an_error_mapping(name: str, value: str) -> None:
    error = DECODERS[name](429, {"retry-after": value}, BODY)
    wait = getattr(error, "retry_after", None)
    assert wait is None or (math.isfinite(wait) and 0.0 <= wait <= MAX_RETRY_AFTER)
