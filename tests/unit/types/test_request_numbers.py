"""Numbers JSON cannot carry are refused where the request is made, not sent."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from fluent_ai.types import ChatRequest, Message


@pytest.mark.parametrize("field", ["temperature", "top_p"])
@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_a_sampling_number_that_is_not_finite_is_refused(field: str, number: float) -> None:
    with pytest.raises(ValidationError, match=f"{field}\n  Input should be a finite number"):
        ChatRequest(model="m", messages=[Message.user("hi")], **{field: number})


def test_finite_sampling_numbers_pass() -> None:
    request = ChatRequest(model="m", messages=[Message.user("hi")], temperature=0.0, top_p=1.0)
    assert (request.temperature, request.top_p) == (0.0, 1.0)
