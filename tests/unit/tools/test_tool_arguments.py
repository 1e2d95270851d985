"""Bad arguments come back as error results that tell the model what to fix."""

from dataclasses import dataclass
from typing import Literal

import pytest
from pydantic import BaseModel

from fluent_ai.tools import Tool, ToolArgumentsError, ToolExecutor
from fluent_ai.tools.output import to_text
from fluent_ai.types import ToolCallPart, ToolResultPart


class Line(BaseModel):
    sku: str
    quantity: int


def order(lines: list[Line], rush: bool = False, channel: Literal["web", "phone"] = "web") -> str:
    """Place an order."""
    return f"{len(lines)} lines, rush={rush}, channel={channel}"


async def run(arguments: str) -> ToolResultPart:
    executor = ToolExecutor([order])
    [result] = await executor.run([ToolCallPart(id="c1", name="order", arguments=arguments)])
    return result


async def test_valid_arguments_call_the_function() -> None:
    result = await run('{"lines": [{"sku": "A1", "quantity": 2}], "rush": true}')
    assert result == ToolResultPart(
        tool_call_id="c1", name="order", content="1 lines, rush=True, channel=web"
    )


async def test_each_problem_names_the_field_the_expectation_and_the_value() -> None:
    result = await run(
        '{"lines": [{"sku": "A1", "quantity": "two"}], "channel": "fax", "coupon": "X"}'
    )
    assert result.is_error
    assert result.content == (
        "Invalid arguments for tool 'order':\n"
        "- lines[0].quantity: Input should be a valid integer, unable to parse string as an "
        'integer (got "two")\n'
        "- channel: Input should be 'web' or 'phone' (got \"fax\")\n"
        "- coupon: unexpected argument (the parameters are: lines, rush, channel)\n"
        "Call the tool again with corrected arguments."
    )


async def test_missing_argument() -> None:
    result = await run('{"rush": false}')
    assert result.is_error
    assert "- lines: missing required argument" in result.content


async def test_invalid_json() -> None:
    result = await run('{"lines": [')
    assert result.is_error
    assert result.content.startswith(
        "Invalid arguments for tool 'order':\n- the arguments are not valid JSON: EOF while parsing"
    )


async def test_arguments_that_are_not_an_object() -> None:
    result = await run("[1, 2]")
    assert result.is_error
    assert "- the arguments must be a JSON object (got [1, 2])" in result.content


async def test_long_values_are_shortened() -> None:
    result = await run('{"lines": "' + "x" * 500 + '"}')
    assert result.is_error
    assert len(result.content) < 300
    assert "…)" in result.content


async def test_empty_arguments_mean_no_arguments() -> None:
    def now() -> str:
        return "noon"

    assert await Tool.from_function(now).call("") == "noon"
    assert await Tool.from_function(now).call({}) == "noon"


async def test_call_raises_tool_arguments_error() -> None:
    with pytest.raises(ToolArgumentsError, match="lines: missing required argument"):
        await Tool.from_function(order).call({})


async def test_only_given_arguments_are_passed_so_python_defaults_apply() -> None:
    seen: list[list[str]] = []

    def remember(tags: list[str] | None = None) -> str:
        seen.append(tags if tags is not None else ["default"])
        return "ok"

    described = Tool.from_function(remember)
    await described.call({})
    await described.call({"tags": ["a"]})
    assert seen == [["default"], ["a"]]


async def test_positional_only_and_keyword_only_parameters() -> None:
    def scale(value: float, /, factor: float = 2.0, *, offset: float = 0.0) -> float:
        return value * factor + offset

    described = Tool.from_function(scale)
    assert await described.call('{"value": 3, "offset": 1}') == "7.0"


async def test_nested_models_arrive_as_models() -> None:
    received: list[object] = []

    async def record(line: Line) -> None:
        received.append(line)

    assert await Tool.from_function(record).call('{"line": {"sku": "B", "quantity": 1}}') == "null"
    assert received == [Line(sku="B", quantity=1)]


async def test_async_callable_object() -> None:
    class Greeter:
        async def __call__(self, name: str) -> str:
            return f"hi {name}"

    assert await Tool.from_function(Greeter(), name="greet").call({"name": "Ada"}) == "hi Ada"


@dataclass
class Receipt:
    total: float
    currency: str


def test_return_values_as_text() -> None:
    assert to_text("plain text") == "plain text"
    assert to_text(Line(sku="A", quantity=1)) == '{"sku":"A","quantity":1}'
    assert to_text(Receipt(total=9.5, currency="€")) == '{"total":9.5,"currency":"€"}'
    assert to_text({"a": [1, 2]}) == '{"a":[1,2]}'
    assert to_text([True, None]) == "[true,null]"
    assert to_text(3) == "3"
    assert to_text(None) == "null"
    assert to_text(object) == f'"{object}"'
