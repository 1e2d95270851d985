"""The SDKs' own retries work against the gateway: a 429 carries the upstream's
``retry-after``, which both SDKs honour before asking again."""

from __future__ import annotations

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")

import anthropic
import openai

from tests.support.faults import Status, upstream
from tests.support.gateway import serving
from tests.unit.server.test_gateway import ASK_CLAUDE, KEY_ENV, QUESTION, recorded, served_router


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "sk-upstream-key")


def test_the_openai_sdk_retries_a_429_after_its_retry_after() -> None:
    with upstream("gpt") as up, serving({"fast": served_router(up, "openai/gpt-4o")}) as url:
        up.script(Status(429, retry_after=1))
        client = openai.OpenAI(base_url=url + "/v1", api_key="k", max_retries=1)
        completion = client.chat.completions.create(model="fast", messages=QUESTION)
    assert completion.choices[0].message.content == recorded(up, stream=False).text
    assert len(up.served) == 2


def test_the_anthropic_sdk_retries_a_429_after_its_retry_after() -> None:
    with (
        upstream("claude", flavour="anthropic") as up,
        serving({"smart": served_router(up, "anthropic/claude-haiku-4-5")}) as url,
    ):
        up.script(Status(429, retry_after=1))
        client = anthropic.Anthropic(base_url=url, api_key="k", max_retries=1)
        message = client.messages.create(model="smart", max_tokens=50, messages=ASK_CLAUDE)
    assert message.content[0].text == recorded(up, stream=False).text  # type: ignore[union-attr]
    assert len(up.served) == 2
