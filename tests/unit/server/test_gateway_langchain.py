"""LangChain's chat models pointed at the gateway, as ``docs/server.md`` shows.

``langchain_openai.ChatOpenAI`` and ``langchain_anthropic.ChatAnthropic`` take the
gateway's URL as their ``base_url``; each is answered by the other vendor's model (a
router over a loopback upstream replaying recorded traffic) and must read exactly the
recorded answer, whole and streamed.
"""

from __future__ import annotations

import pytest

pytest.importorskip("uvicorn", reason="the server extra is not installed")
pytest.importorskip("langchain_openai", reason="langchain-openai is not installed")
pytest.importorskip("langchain_anthropic", reason="langchain-anthropic is not installed")

from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from tests.support.faults import Upstream
from tests.support.gateway import ASKED, recorded


def test_chat_openai_invokes_and_streams_through_the_gateway(claude: tuple[Upstream, str]) -> None:
    up, url = claude
    llm = ChatOpenAI(base_url=url + "/v1", api_key=SecretStr("caller-key"), model="smart")
    reply = llm.invoke(ASKED)
    whole = recorded(up, stream=False)
    assert reply.content == whole.text
    assert reply.usage_metadata is not None
    assert reply.usage_metadata["output_tokens"] == whole.usage.output_tokens
    chunks = list(llm.stream(ASKED))
    assert "".join(str(chunk.content) for chunk in chunks) == recorded(up, stream=True).text
    assert [served.body["model"] for served in up.served] == ["claude-haiku-4-5"] * 2


def test_chat_anthropic_invokes_and_streams_through_the_gateway(gpt: tuple[Upstream, str]) -> None:
    up, url = gpt
    llm = ChatAnthropic(base_url=url, api_key=SecretStr("caller-key"), model="fast", max_tokens=100)
    reply = llm.invoke(ASKED)
    assert reply.text == recorded(up, stream=False).text
    streamed = "".join(chunk.text for chunk in llm.stream(ASKED))
    assert streamed == recorded(up, stream=True).text
    assert [served.body["model"] for served in up.served] == ["gpt-4o"] * 2
