"""Structured output: native and strict where the model has it, in words where it has not."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from pydantic import BaseModel

from fluent_ai.agent import Agent, Break, FluentAI, Reply
from fluent_ai.agent.output import parse_output
from fluent_ai.models import ModelInfo
from fluent_ai.types import (
    ChatRequest,
    ChatResponse,
    Finish,
    FinishReason,
    StreamEvent,
    TextDelta,
    collect_stream,
)
from tests.support.cassettes import cassettes, load
from tests.support.replay import Replay, replay_server


class CityAnswer(BaseModel):
    city: str
    country: str


class Place(BaseModel):
    name: str
    population: int = 0
    nickname: str | None = None


def get_user_country() -> str:
    """The country the user is in."""
    return "Mexico"


@contextmanager
def openai_recording() -> Iterator[Replay]:
    (path,) = [p for p in cassettes("openai") if p.stem.endswith("test_openai_native_output")]
    with replay_server(load(path)) as server:
        yield server


def geo_agent(server: Replay, model: str = "openai/gpt-4o"):  # type: ignore[no-untyped-def]
    return (
        FluentAI.agent("geo")
        .model(model, api_key="sk-test", base_url=server.base_url + "/v1")
        .tools(get_user_country)
        .output(CityAnswer)
    )


def test_a_model_with_json_schema_support_gets_a_strict_native_request() -> None:
    with openai_recording() as server:
        fmt = geo_agent(server).build().config.response_format
    assert fmt is not None
    assert (fmt.type, fmt.name, fmt.strict) == ("json_schema", "CityAnswer", True)


async def test_a_model_the_registry_says_lacks_it_gets_the_schema_in_its_prompt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without = ModelInfo(provider="openai", name="gpt-4o", supports_json_schema=False)
    monkeypatch.setattr("fluent_ai.agent.builder.registry_entry", lambda spec: without)
    with openai_recording() as server:
        agent = geo_agent(server).build()
        reply = await agent.chat("What is the largest city in the user country?")
    assert reply.output == CityAnswer(city="Mexico City", country="Mexico")
    first = server.received[0].body
    assert "response_format" not in first
    [system] = [m for m in first["messages"] if m["role"] in ("system", "developer")]
    assert "matches this JSON schema" in system["content"]
    assert '"required": ["city", "country"]' in system["content"]


async def test_a_model_the_registry_does_not_know_gets_the_native_request() -> None:
    with openai_recording() as server:
        agent = geo_agent(server, "openai/gpt-99-preview").build()
        reply = await agent.chat("What is the largest city in the user country?")
    assert reply.output == CityAnswer(city="Mexico City", country="Mexico")
    sent = server.received[0].body["response_format"]["json_schema"]
    assert sent["strict"] is True
    assert sent["schema"]["additionalProperties"] is False


class ScriptedModel:
    """A chat model that streams one fixed answer, for the agent's own logic."""

    provider = "scripted"

    def __init__(self, answer: str) -> None:
        self.answer = answer

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        yield TextDelta(self.answer)
        yield Finish(FinishReason.STOP)

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return await collect_stream(self.stream(request))


def test_the_loop_hands_its_handler_the_structured_output() -> None:
    seen: list[Reply[CityAnswer]] = []

    def handler(reply: Reply[CityAnswer]) -> Break:
        seen.append(reply)
        return Break()

    with openai_recording() as server:
        built = geo_agent(server).build()
    answer = ScriptedModel('{"city": "Mexico City", "country": "Mexico"}')
    agent = Agent(replace(built.config, model=answer), CityAnswer)
    agent.loop(handler, first="The largest city in the user country?", write=lambda _: None)
    assert [reply.output for reply in seen] == [CityAnswer(city="Mexico City", country="Mexico")]


def test_null_for_an_optional_field_that_cannot_be_null_means_absent() -> None:
    # What a strict schema makes a model write for fields it has nothing to say about.
    place = parse_output('{"name": "Oaxaca", "population": null, "nickname": null}', Place)
    assert place == Place(name="Oaxaca")
    fenced = parse_output('```json\n{"name": "Puebla", "population": 3}\n```', Place)
    assert fenced.population == 3
