"""JSON schemas derived from type hints: one exact schema per type form."""

import enum
import sys
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional

import pytest
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from fluent_ai.tools import Tool, ToolDefinitionError, tool
from fluent_ai.types import ToolSpec


def parameters(function: Any) -> dict[str, Any]:
    return Tool.from_function(function).parameters


def single(schema: dict[str, Any], name: str = "value") -> dict[str, Any]:
    """The schema of a function with one required parameter."""
    return {
        "additionalProperties": False,
        "properties": {name: schema},
        "required": [name],
        "type": "object",
    }


def test_scalars() -> None:
    def scalars(text: str, count: int, ratio: float, flag: bool) -> None: ...

    assert parameters(scalars) == {
        "additionalProperties": False,
        "properties": {
            "text": {"type": "string"},
            "count": {"type": "integer"},
            "ratio": {"type": "number"},
            "flag": {"type": "boolean"},
        },
        "required": ["text", "count", "ratio", "flag"],
        "type": "object",
    }


def test_no_parameters() -> None:
    def ping() -> str:
        return "pong"

    assert parameters(ping) == {"additionalProperties": False, "properties": {}, "type": "object"}


def test_defaults_are_not_required() -> None:
    def search(query: str, limit: int = 10, exact: bool = False) -> None: ...

    assert parameters(search) == {
        "additionalProperties": False,
        "properties": {
            "query": {"type": "string"},
            "limit": {"default": 10, "type": "integer"},
            "exact": {"default": False, "type": "boolean"},
        },
        "required": ["query"],
        "type": "object",
    }


def test_optional() -> None:
    def find(value: Optional[int] = None) -> None: ...  # noqa: UP045 - the typing spelling is tested

    def find_union(value: int | None) -> None: ...

    nullable = {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    assert parameters(find)["properties"]["value"] == nullable | {"default": None}
    assert "required" not in parameters(find)
    assert parameters(find_union) == single(nullable)


def test_literal() -> None:
    def convert(value: Literal["metric", "imperial"]) -> None: ...

    assert parameters(convert) == single({"enum": ["metric", "imperial"], "type": "string"})


class Unit(enum.Enum):
    METRIC = "metric"
    IMPERIAL = "imperial"


def test_enum() -> None:
    def convert(value: Unit = Unit.METRIC) -> None: ...

    assert parameters(convert) == {
        "$defs": {"Unit": {"enum": ["metric", "imperial"], "type": "string"}},
        "additionalProperties": False,
        "properties": {"value": {"$ref": "#/$defs/Unit", "default": "metric"}},
        "type": "object",
    }


def test_list_and_dict() -> None:
    def tally(names: list[str], scores: dict[str, float], raw: list) -> None: ...  # type: ignore[type-arg]

    assert parameters(tally)["properties"] == {
        "names": {"items": {"type": "string"}, "type": "array"},
        "scores": {"additionalProperties": {"type": "number"}, "type": "object"},
        "raw": {"items": {}, "type": "array"},
    }


class Address(BaseModel):
    street: str
    city: str = "Paris"


class Person(BaseModel):
    """Someone to write to."""

    name: str
    title: str | None = None
    address: Address


def test_nested_pydantic_models() -> None:
    def send(person: Person) -> None: ...

    assert parameters(send) == {
        "$defs": {
            "Address": {
                "properties": {
                    "street": {"type": "string"},
                    "city": {"default": "Paris", "type": "string"},
                },
                "required": ["street"],
                "type": "object",
            },
            "Person": {
                "description": "Someone to write to.",
                "properties": {
                    "name": {"type": "string"},
                    "title": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                    "address": {"$ref": "#/$defs/Address"},
                },
                "required": ["name", "address"],
                "type": "object",
            },
        },
        "additionalProperties": False,
        "properties": {"person": {"$ref": "#/$defs/Person"}},
        "required": ["person"],
        "type": "object",
    }


class Point(TypedDict):
    x: float
    y: float


@dataclass
class Size:
    width: int
    height: int = 1


def test_typed_dict_and_dataclass() -> None:
    def place(at: Point, size: Size) -> None: ...

    assert parameters(place) == {
        "$defs": {
            "Point": {
                "additionalProperties": False,
                "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
                "required": ["x", "y"],
                "type": "object",
            },
            "Size": {
                "additionalProperties": False,
                "properties": {
                    "width": {"type": "integer"},
                    "height": {"default": 1, "type": "integer"},
                },
                "required": ["width"],
                "type": "object",
            },
        },
        "additionalProperties": False,
        "properties": {"at": {"$ref": "#/$defs/Point"}, "size": {"$ref": "#/$defs/Size"}},
        "required": ["at", "size"],
        "type": "object",
    }


def test_annotated_descriptions_and_constraints() -> None:
    def weather(
        city: Annotated[str, "The city, e.g. Paris"],
        days: Annotated[int, Field(description="How many days ahead", ge=1, le=7)] = 1,
    ) -> None:
        """Get the forecast.

        Args:
            city: Overridden by the Annotated text.
            days: Overridden by the Field description.
        """

    assert parameters(weather)["properties"] == {
        "city": {"description": "The city, e.g. Paris", "type": "string"},
        "days": {
            "default": 1,
            "description": "How many days ahead",
            "maximum": 7,
            "minimum": 1,
            "type": "integer",
        },
    }


def test_parameter_names_that_clash_with_pydantic() -> None:
    def odd(json: str, schema: int, model_config: bool, title: str) -> None: ...

    assert list(parameters(odd)["properties"]) == ["json", "schema", "model_config", "title"]
    assert parameters(odd)["properties"]["title"] == {"type": "string"}


def test_spec_name_and_description_from_the_function() -> None:
    def get_weather(city: str) -> str:
        """Get the current weather
        for a city.

        Uses the national service.

        Args:
            city: The city name.
        """
        return city

    assert Tool.from_function(get_weather).spec == ToolSpec(
        name="get_weather",
        description="Get the current weather for a city.",
        parameters={
            "additionalProperties": False,
            "properties": {"city": {"description": "The city name.", "type": "string"}},
            "required": ["city"],
            "type": "object",
        },
    )


def test_name_and_description_overrides() -> None:
    def f(x: int) -> int:
        """Ignored."""
        return x

    described = Tool.from_function(f, name="double", description="Double a number.")
    assert (described.name, described.description) == ("double", "Double a number.")


def test_decorator_with_and_without_options() -> None:
    @tool
    def plain(x: int) -> int:
        """Plain."""
        return x

    @tool(name="renamed", description="Custom.")
    def other(x: int) -> int:
        return x

    assert (plain.name, plain.description, plain.function(2)) == ("plain", "Plain.", 2)
    assert (other.name, other.description) == ("renamed", "Custom.")


def test_methods_and_callable_objects() -> None:
    class Store:
        def lookup(self, key: str) -> str:
            return key

        def __call__(self, key: str) -> str:
            return key

    expected = single({"type": "string"}, name="key")
    assert parameters(Store().lookup) == expected
    assert Tool.from_function(Store(), name="store").parameters == expected


def definition_error(function: Any, **options: Any) -> str:
    with pytest.raises(ToolDefinitionError) as caught:
        Tool.from_function(function, **options)
    return str(caught.value)


def test_definition_errors_name_the_function_and_parameter() -> None:
    def spread(*values: int) -> None: ...

    def keywords(**options: int) -> None: ...

    def untyped(city, days: int) -> None:  # type: ignore[no-untyped-def]
        ...

    class Opaque:
        pass

    def opaque(thing: Opaque) -> None: ...

    def takes_anything(value: Any) -> None: ...

    assert "spread: parameter *values cannot be described" in definition_error(spread)
    assert "keywords: parameter **options" in definition_error(keywords)
    assert "untyped: parameter 'city' has no type annotation" in definition_error(untyped)
    message = definition_error(opaque)
    assert "opaque: parameter 'thing' has type " in message
    assert "Opaque" in message
    assert "cannot be described as JSON schema" in message
    # Any has a schema (anything goes), so it is accepted.
    assert parameters(takes_anything) == single({})


def test_type_without_json_schema_is_a_definition_error() -> None:
    from collections.abc import Callable

    def apply(step: Callable[[int], int]) -> None: ...

    message = definition_error(apply)
    assert "apply: parameter 'step'" in message
    assert "cannot be described as JSON schema" in message


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="pydantic accepts it from 3.12")
def test_typing_typed_dict_before_python_3_12_is_a_definition_error() -> None:
    import typing

    class Legacy(typing.TypedDict):
        x: int

    def use(value: Legacy) -> None: ...

    message = definition_error(use)
    assert "use: parameter 'value'" in message
    assert "typing_extensions.TypedDict" in message


def test_invalid_names_are_definition_errors() -> None:
    assert "not valid" in definition_error(lambda: 1)
    assert "not valid" in definition_error(lambda: 1, name="has space")
    assert Tool.from_function(lambda: 1, name="one").name == "one"


def test_unresolvable_hint_is_a_definition_error() -> None:
    def later(value: "NotDefinedAnywhere") -> None: ...  # type: ignore[name-defined]  # noqa: F821

    assert "later: cannot read its signature and type hints" in definition_error(later)
