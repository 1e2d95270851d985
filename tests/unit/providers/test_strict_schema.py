"""Structured-output schemas go to each vendor in the strict form its decoding accepts."""

from __future__ import annotations

import copy
import json
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, HttpUrl
from tests.support.cassettes import cassettes, load

from fluent_ai.providers.anthropic import AnthropicProtocol
from fluent_ai.providers.openai import OpenAIChatProtocol
from fluent_ai.providers.responses import ResponsesProtocol
from fluent_ai.providers.strict_schema import anthropic_strict, openai_strict
from fluent_ai.types import ChatRequest, Message, ResponseFormat


class Address(BaseModel):
    street: str = Field(min_length=1, description="street and number")
    zip: str | None = None


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = Field(default=9, ge=0, le=9)


class Dog(BaseModel):
    kind: Literal["dog"]


class Person(BaseModel):
    """Someone to write to."""

    name: str
    age: int = 0
    home: Address = Field(description="where they live")
    website: HttpUrl | None = None
    tags: list[str] = Field(default_factory=list, min_length=2)
    pet: Annotated[Cat | Dog, Field(discriminator="kind")]
    code: str = Field(pattern=r"^[a-z]+\b$")


def objects(schema: Any) -> list[dict[str, Any]]:
    """Every object schema inside ``schema``."""
    found = []
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            found.append(schema)
        for value in schema.values():
            found += objects(value)
    elif isinstance(schema, list):
        for value in schema:
            found += objects(value)
    return found


def keys(schema: Any) -> set[str]:
    """Every keyword used anywhere in ``schema`` (property names included)."""
    if isinstance(schema, dict):
        return set(schema) | {k for value in schema.values() for k in keys(value)}
    if isinstance(schema, list):
        return {k for value in schema for k in keys(value)}
    return set()


def test_openai_form_closes_every_object_and_requires_every_property() -> None:
    original = Person.model_json_schema()
    schema = openai_strict(original)
    assert original == Person.model_json_schema()  # the input is not changed
    for obj in objects(schema):
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    properties = schema["properties"]
    # Optional properties may be null: the strict spelling of "may be absent".
    assert properties["age"]["type"] == ["integer", "null"]
    assert {"type": "null"} in properties["website"]["anyOf"]
    assert properties["name"] == {"title": "Name", "type": "string"}  # required stays as is
    # Keywords OpenAI refuses are gone, and written into the description instead.
    assert not {"default", "minLength", "discriminator", "oneOf"} & keys(schema)
    assert "{default: 0}" in properties["age"]["description"]
    assert "{minLength: 1}" in schema["$defs"]["Address"]["properties"]["street"]["description"]
    assert "{format: uri}" in json.dumps(properties["website"])
    # A $ref with a description beside it is replaced by the definition it names.
    assert properties["home"]["description"] == "where they live"
    assert "$ref" not in properties["home"]
    assert [v["$ref"] for v in properties["pet"]["anyOf"]] == ["#/$defs/Cat", "#/$defs/Dog"]
    assert properties["tags"]["minItems"] == 2  # supported by OpenAI: kept
    assert openai_strict(schema) == schema


def test_anthropic_form_closes_every_object_and_keeps_optional_properties() -> None:
    schema = anthropic_strict(Person.model_json_schema())
    for obj in objects(schema):
        assert obj["additionalProperties"] is False
    assert schema["required"] == ["name", "home", "pet", "code"]
    properties = schema["properties"]
    assert properties["age"] == {"default": 0, "title": "Age", "type": "integer"}
    lives = schema["$defs"]["Cat"]["properties"]["lives"]
    assert not {"minimum", "maximum"} & lives.keys()
    assert lives["description"] == "{maximum: 9} {minimum: 0}"
    assert "minItems" not in properties["tags"]  # only 0 or 1 are accepted
    assert "{minItems: 2}" in properties["tags"]["description"]
    assert "pattern" not in properties["code"]  # \b is not accepted
    assert "format" in json.dumps(properties["website"])  # "uri" is accepted
    assert anthropic_strict(schema) == schema


def test_a_simple_pattern_stays_for_anthropic() -> None:
    schema = {"type": "string", "pattern": "^[A-Z]{2}-\\d+$"}
    assert anthropic_strict(schema) == schema


def test_a_recursive_model_does_not_loop() -> None:
    class Node(BaseModel):
        value: int
        parent: Node | None = Field(default=None, description="the node above")

    for strict in (openai_strict, anthropic_strict):
        schema = strict(Node.model_json_schema())
        assert schema == strict(copy.deepcopy(schema))


def recorded_schemas(folder: str, name: str) -> list[dict[str, Any]]:
    (path,) = [p for p in cassettes(folder) if p.stem.endswith(name)]
    bodies = [item.request_body for item in load(path)]
    found: list[dict[str, Any]] = []
    for body in bodies:
        for outer in ("response_format", "text", "output_config"):
            fmt = body.get(outer, {})
            fmt = fmt.get("json_schema") or fmt.get("format") or fmt
            if "schema" in fmt:
                found.append(fmt["schema"])
    assert found
    return found


@pytest.mark.parametrize(
    ("folder", "name", "strict"),
    [
        ("groq", "test_groq_native_output", openai_strict),
        ("openai-responses", "test_native_output", openai_strict),
        ("anthropic", "test_anthropic_native_output_decimal_strict", anthropic_strict),
    ],
)
def test_what_vendors_were_really_sent_is_already_strict(
    folder: str, name: str, strict: Any
) -> None:
    for schema in recorded_schemas(folder, name):
        assert strict(schema) == schema


def city_format(strict: bool | None) -> ResponseFormat:
    class City(BaseModel):
        city: str
        country: str | None = None

    return ResponseFormat(
        type="json_schema", name="City", json_schema=City.model_json_schema(), strict=strict
    )


def request(fmt: ResponseFormat) -> ChatRequest:
    return ChatRequest(model="m", messages=[Message.user("Where?")], response_format=fmt)


def test_openai_chat_sends_strict_true_with_the_strict_schema() -> None:
    body = OpenAIChatProtocol().encode_request(request(city_format(True)), stream=False)
    spec = body["response_format"]["json_schema"]
    assert spec["strict"] is True
    assert spec["schema"]["additionalProperties"] is False
    assert spec["schema"]["required"] == ["city", "country"]
    # Without strictness asked for, the schema goes as given.
    loose = OpenAIChatProtocol().encode_request(request(city_format(None)), stream=False)
    assert loose["response_format"]["json_schema"]["schema"] == city_format(None).json_schema
    assert "strict" not in loose["response_format"]["json_schema"]


def test_openai_responses_sends_the_strict_schema() -> None:
    body = ResponsesProtocol().encode_request(request(city_format(True)), stream=False)
    assert body["text"]["format"]["strict"] is True
    assert body["text"]["format"]["schema"]["additionalProperties"] is False


def test_anthropic_always_gets_closed_objects() -> None:
    body = AnthropicProtocol().encode_request(request(city_format(None)), stream=False)
    schema = body["output_config"]["format"]["schema"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["city"]
