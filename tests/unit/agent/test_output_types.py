"""``reply.output`` is typed as the ``.output(...)`` model, for a type checker and at run time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mypy import api

SNIPPET = """
from pydantic import BaseModel

from fluent_ai import Agent, FluentAI, Reply


class City(BaseModel):
    name: str
    country: str


def handler(reply: Reply[City]) -> None:
    print(reply.output.country)


builder = FluentAI.agent("geo").model("openai/gpt-4o").output(City)
agent: Agent[City] = builder.build()
reply = agent.chat_sync("The largest city in Mexico?")
city: City = reply.output
name: str = reply.output.name
handler(reply)
reveal_type(reply.output)

plain = FluentAI.agent("plain").build()
nothing: None = plain.chat_sync("hi").output
reveal_type(plain)
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the module: the second check reuses the first one's analysis."""
    return tmp_path_factory.mktemp("mypy-cache")


def check(source: Path, cache: Path) -> tuple[str, int]:
    stdout, stderr, status = api.run(
        [str(source), "--strict", "--cache-dir", str(cache), "--no-error-summary"]
    )
    return stdout + stderr, status


def test_a_type_checker_sees_the_output_model(tmp_path: Path, cache: Path) -> None:
    source = tmp_path / "typed_output.py"
    source.write_text(textwrap.dedent(SNIPPET))
    output, status = check(source, cache)
    notes = [line for line in output.splitlines() if "note: Revealed type" in line]
    errors = [line for line in output.splitlines() if ": error:" in line]
    assert errors == [], output
    assert status == 0
    assert [line.split("Revealed type is ")[1] for line in notes] == [
        '"typed_output.City"',
        '"fluent_ai.agent.agent.Agent[None]"',
    ]


def test_assigning_the_output_to_another_model_does_not_type_check(
    tmp_path: Path, cache: Path
) -> None:
    source = tmp_path / "wrong_output.py"
    source.write_text(
        textwrap.dedent(
            """
            from pydantic import BaseModel

            from fluent_ai import FluentAI


            class City(BaseModel):
                name: str


            class Country(BaseModel):
                code: str


            agent = FluentAI.agent("geo").output(City).build()
            country: Country = agent.chat_sync("hi").output
            """
        )
    )
    output, status = check(source, cache)
    assert status == 1
    assert 'expression has type "City", variable has type "Country"' in output
