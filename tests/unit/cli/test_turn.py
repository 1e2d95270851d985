"""What an interrupted turn keeps, and the usage line after an answer."""

from __future__ import annotations

from fluent_ai.agent import AgentEvent, ToolResults
from fluent_ai.cli.turn import INTERRUPTED, Turn, is_interrupted, usage_line
from fluent_ai.types import (
    Message,
    TextDelta,
    TextPart,
    ThinkingDelta,
    ToolCallDelta,
    ToolCallPart,
    ToolCallStart,
    ToolResultPart,
    Usage,
    UsageUpdate,
)


def test_finished_tool_steps_are_kept_and_half_streamed_calls_are_not() -> None:
    turn = Turn("Weather in Oslo?")
    event: AgentEvent
    for event in (
        TextDelta("Let me check. "),
        ToolCallStart(index=0, id="call_1", name="weather"),
        ToolCallDelta(index=0, arguments='{"city": "Oslo"}'),
        UsageUpdate(Usage(input_tokens=10, output_tokens=5), cost_usd=0.001),
    ):
        turn.add(event)
    call = ToolCallPart(id="call_1", name="weather", arguments='{"city": "Oslo"}')
    result = ToolResultPart(tool_call_id="call_1", content="rain", name="weather")
    turn.add(ToolResults(calls=[call], results=[result]))
    for event in (
        ThinkingDelta(text="unsigned thoughts"),
        TextDelta("It is rain"),
        ToolCallStart(index=0, id="call_2", name="weather"),
        ToolCallDelta(index=0, arguments='{"ci'),
        UsageUpdate(Usage(input_tokens=20, output_tokens=3), cost_usd=None),
    ):
        turn.add(event)

    user, called, results, answer = turn.interrupted()
    assert user == Message.user("Weather in Oslo?")
    assert called.parts == [TextPart(text="Let me check. "), call]
    assert results == Message(role="tool", parts=[result])
    assert answer.parts == [TextPart(text="It is rain"), TextPart(text=INTERRUPTED)]
    assert is_interrupted(answer)
    assert not is_interrupted(called)
    assert turn.usage.total_tokens == 38
    assert turn.cost_usd is None  # the second step had no price
    assert usage_line(turn) == (
        "30 input + 8 output tokens · cost unknown (no prices for this model)"
    )


def test_stopped_before_anything_arrived() -> None:
    turn = Turn("Hi")
    assert turn.interrupted()[-1] == Message(role="assistant", parts=[TextPart(text=INTERRUPTED)])
    assert usage_line(turn) == "no usage reported (the provider reports it at the end of an answer)"


def test_a_priced_answer() -> None:
    turn = Turn("Hi")
    turn.add(TextDelta("Hello"))
    turn.add(UsageUpdate(Usage(input_tokens=1200, output_tokens=34), cost_usd=0.000123))
    turn.finish()
    assert usage_line(turn) == "1,200 input + 34 output tokens · $0.000123"
