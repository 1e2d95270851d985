"""The executor: concurrency, timeouts, failures as results, order, hooks, cancellation.

Concurrency is proven by tools that can only finish if another runs at the same
time (each waits for something the other does), never by measuring durations.
"""

import asyncio
import threading

import pytest

from fluent_ai.tools import Tool, ToolDefinitionError, ToolError, ToolExecutor
from fluent_ai.types import ToolCallPart, ToolResultPart


def call(name: str, arguments: str = "{}", call_id: str | None = None) -> ToolCallPart:
    return ToolCallPart(id=call_id or f"id-{name}", name=name, arguments=arguments)


async def test_async_tools_run_concurrently() -> None:
    ping_seen, pong_seen = asyncio.Event(), asyncio.Event()

    async def ping() -> str:
        ping_seen.set()
        await pong_seen.wait()
        return "ping done"

    async def pong() -> str:
        pong_seen.set()
        await ping_seen.wait()
        return "pong done"

    # Run one after the other, each would wait for the other forever (and time out).
    executor = ToolExecutor([ping, pong], timeout=5)
    results = await executor.run([call("ping"), call("pong")])
    assert [(r.content, r.is_error) for r in results] == [
        ("ping done", False),
        ("pong done", False),
    ]


async def test_sync_tools_run_concurrently_in_threads() -> None:
    both_running = threading.Barrier(2, timeout=5)
    loop_thread = threading.get_ident()

    def left() -> bool:
        both_running.wait()
        return threading.get_ident() != loop_thread

    def right() -> bool:
        both_running.wait()
        return threading.get_ident() != loop_thread

    results = await ToolExecutor([left, right]).run([call("left"), call("right")])
    assert [r.content for r in results] == ["true", "true"]


async def test_max_concurrency_runs_calls_one_at_a_time() -> None:
    second_started = asyncio.Event()

    async def first() -> str:
        await second_started.wait()
        return "unreachable with one call at a time"

    async def second() -> str:
        second_started.set()
        return "second done"

    executor = ToolExecutor([first, second], timeout=0.05, max_concurrency=1)
    results = await executor.run([call("first"), call("second")])
    assert [(r.content, r.is_error) for r in results] == [
        ("Tool 'first' timed out after 0.05 s.", True),
        ("second done", False),
    ]


async def test_timeout_becomes_an_error_result() -> None:
    never = asyncio.Event()

    async def hang() -> None:
        await never.wait()

    [result] = await ToolExecutor([hang], timeout=0.05).run([call("hang", call_id="h1")])
    assert result == ToolResultPart(
        tool_call_id="h1", name="hang", content="Tool 'hang' timed out after 0.05 s.", is_error=True
    )


async def test_timeout_raised_by_the_tool_itself_is_an_ordinary_failure() -> None:
    async def upstream() -> None:
        raise TimeoutError("the upstream API did not answer")

    [result] = await ToolExecutor([upstream]).run([call("upstream")])
    assert result.is_error
    assert result.content == "Tool 'upstream' raised TimeoutError: the upstream API did not answer"


async def test_exceptions_become_error_results_with_type_and_message() -> None:
    def divide(a: int, b: int) -> float:
        return a / b

    async def empty() -> None:
        raise RuntimeError

    async def refuse() -> None:
        raise ToolError("That account is closed; ask the user for another one.")

    executor = ToolExecutor([divide, empty, refuse])
    results = await executor.run(
        [call("divide", '{"a": 1, "b": 0}'), call("empty"), call("refuse")]
    )
    assert [(r.content, r.is_error) for r in results] == [
        ("Tool 'divide' raised ZeroDivisionError: division by zero", True),
        ("Tool 'empty' raised RuntimeError.", True),
        ("That account is closed; ask the user for another one.", True),
    ]
    assert "Traceback" not in results[0].content


async def test_unknown_tool_lists_the_available_ones() -> None:
    def add(a: int, b: int) -> int:
        return a + b

    def sub(a: int, b: int) -> int:
        return a - b

    [result] = await ToolExecutor([add, sub]).run([call("mul", call_id="m1")])
    assert result == ToolResultPart(
        tool_call_id="m1",
        name="mul",
        content="Unknown tool 'mul'. Available tools: add, sub.",
        is_error=True,
    )
    [nothing] = await ToolExecutor([]).run([call("mul")])
    assert nothing.content == "Unknown tool 'mul'. Available tools: none."


async def test_results_keep_the_order_of_the_calls_and_hooks_see_completion_order() -> None:
    fast_done = asyncio.Event()
    finished: list[str] = []

    async def slow(label: str) -> str:
        await fast_done.wait()
        return label

    async def fast(label: str) -> str:
        return label

    async def record(part: ToolCallPart, result: ToolResultPart) -> None:
        finished.append(result.content)
        if part.name == "fast":
            fast_done.set()

    executor = ToolExecutor([slow, fast], on_result=record, timeout=5)
    calls = [
        call("slow", '{"label": "s1"}', "1"),
        call("fast", '{"label": "f1"}', "2"),
        call("nope", "{}", "3"),
    ]
    results = await executor.run(calls)
    assert [r.tool_call_id for r in results] == ["1", "2", "3"]
    assert [r.content for r in results][:2] == ["s1", "f1"]
    assert finished.index("f1") < finished.index("s1")


async def test_sync_result_hook() -> None:
    seen: list[tuple[str, bool]] = []

    def echo(text: str) -> str:
        return text

    executor = ToolExecutor(
        [echo], on_result=lambda part, result: seen.append((part.id, result.is_error))
    )
    await executor.run_one(call("echo", '{"text": "hi"}', "e1"))
    assert seen == [("e1", False)]


async def test_cancelling_run_cancels_the_calls_and_propagates() -> None:
    started, never = asyncio.Event(), asyncio.Event()
    cancelled: list[str] = []

    async def wait_forever() -> None:
        started.set()
        try:
            await never.wait()
        except asyncio.CancelledError:
            cancelled.append("wait_forever")
            raise

    running = asyncio.create_task(ToolExecutor([wait_forever]).run([call("wait_forever")]))
    await started.wait()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert cancelled == ["wait_forever"]


async def test_cancelled_error_from_a_tool_is_not_swallowed() -> None:
    async def gives_up() -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await ToolExecutor([gives_up]).run([call("gives_up")])


class Shutdown(BaseException):
    """Stands in for KeyboardInterrupt / SystemExit, which would stop pytest itself."""


async def test_base_exceptions_are_not_swallowed() -> None:
    async def stop() -> None:
        raise Shutdown

    with pytest.raises(BaseExceptionGroup) as caught:
        await ToolExecutor([stop]).run([call("stop")])
    assert caught.group_contains(Shutdown)


def test_duplicate_names_and_bad_limits_are_rejected() -> None:
    def twin() -> None: ...

    with pytest.raises(ToolDefinitionError, match="two tools are named 'twin'"):
        ToolExecutor([twin, Tool.from_function(twin)])
    with pytest.raises(ValueError, match="timeout"):
        ToolExecutor([], timeout=0)
    with pytest.raises(ValueError, match="max_concurrency"):
        ToolExecutor([], max_concurrency=0)


def test_tools_and_specs() -> None:
    def lookup(key: str) -> str:
        """Look a key up."""
        return key

    executor = ToolExecutor([lookup])
    assert list(executor.tools) == ["lookup"]
    assert [spec.name for spec in executor.specs] == ["lookup"]
    assert executor.specs[0].description == "Look a key up."


async def test_empty_batch() -> None:
    assert await ToolExecutor([]).run([]) == []


def test_sync_twins() -> None:
    def add(a: int, b: int) -> int:
        return a + b

    executor = ToolExecutor([add])
    [result] = executor.run_sync([call("add", '{"a": 1, "b": 2}')])
    assert result.content == "3"
    assert executor.tools["add"].call_sync({"a": 2, "b": 2}) == "4"
