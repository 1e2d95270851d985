"""``/v1/responses``: the openai SDK's Responses client answered by Claude, whole and streamed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import openai

from tests.support.faults import Upstream
from tests.support.gateway import ASKED, claude_gateway, recorded


@pytest.fixture
def claude() -> Iterator[tuple[Upstream, openai.OpenAI]]:
    with claude_gateway() as (up, url):
        yield up, openai.OpenAI(base_url=url + "/v1", api_key="caller-key", max_retries=0)


def test_a_responses_client_is_answered_by_claude(claude: tuple[Upstream, openai.OpenAI]) -> None:
    up, client = claude
    response = client.responses.create(model="smart", input=ASKED)
    expected = recorded(up, stream=False)
    assert response.output_text == expected.text
    assert response.status == "completed"
    assert response.model == "smart"
    assert response.usage is not None
    assert response.usage.output_tokens == expected.usage.output_tokens
    [asked] = up.served[0].body["messages"]
    assert asked == {"role": "user", "content": [{"type": "text", "text": ASKED}]}


def test_a_responses_client_streams_from_claude(claude: tuple[Upstream, openai.OpenAI]) -> None:
    up, client = claude
    events = list(client.responses.create(model="smart", input=ASKED, stream=True))
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == recorded(up, stream=True).text
    assert events[-1].type == "response.completed"
    assert events[-1].response.output_text == text


def test_a_stored_response_is_refused_saying_why(claude: tuple[Upstream, openai.OpenAI]) -> None:
    up, client = claude
    with pytest.raises(openai.BadRequestError, match="keeps no responses"):
        client.responses.create(model="smart", input=ASKED, previous_response_id="resp_1")
    assert up.served == []
