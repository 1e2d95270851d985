"""An agent given text no API can carry raises a typed error before anything is sent."""

from __future__ import annotations

import pytest

from fluent_ai.agent import FluentAI
from fluent_ai.types import InvalidTextError
from tests.support.cassettes import cassettes, load
from tests.support.replay import replay_server


async def test_a_lone_surrogate_is_a_typed_error_naming_its_place_and_nothing_is_sent() -> None:
    (path,) = [p for p in cassettes("openai") if p.stem.endswith("test_openai_native_output")]
    with replay_server(load(path)) as server:
        agent = (
            FluentAI.agent("typist")
            .model("openai/gpt-4o", api_key="sk-test", base_url=server.base_url + "/v1")
            .build()
        )
        with pytest.raises(InvalidTextError) as info:
            await agent.chat("caf\udce9")
    assert not server.received
    assert (info.value.message_index, info.value.part_index, info.value.position) == (0, 0, 3)
    assert "message 0 (user)" in str(info.value)
    assert agent.history == []  # the failed turn is not kept


def test_the_local_model_gets_the_same_typed_error() -> None:
    agent = FluentAI.agent("offline").model("local/smollm2").build()
    with pytest.raises(InvalidTextError, match="character 3"):
        agent.chat_sync("caf\udce9")
