"""The SDKs' own retries work against the gateway: a 429 carries the upstream's
``retry-after``, which both SDKs honour before asking again."""

from __future__ import annotations

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import anthropic
import openai

from tests.support.faults import Status
from tests.support.gateway import ASK_CLAUDE, QUESTION, claude_gateway, gpt_gateway, recorded


def test_the_openai_sdk_retries_a_429_after_its_retry_after() -> None:
    with gpt_gateway() as (up, url):
        up.script(Status(429, retry_after=1))
        client = openai.OpenAI(base_url=url + "/v1", api_key="k", max_retries=1)
        completion = client.chat.completions.create(model="fast", messages=QUESTION)
    assert completion.choices[0].message.content == recorded(up, stream=False).text
    assert len(up.served) == 2


def test_the_anthropic_sdk_retries_a_429_after_its_retry_after() -> None:
    with claude_gateway() as (up, url):
        up.script(Status(429, retry_after=1))
        client = anthropic.Anthropic(base_url=url, api_key="k", max_retries=1)
        message = client.messages.create(model="smart", max_tokens=50, messages=ASK_CLAUDE)
    assert message.content[0].text == recorded(up, stream=False).text  # type: ignore[union-attr]
    assert len(up.served) == 2
