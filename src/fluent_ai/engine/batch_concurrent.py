"""Many requests run at once under a concurrency limit, for models with no batch API.

``limit`` workers take the requests in turn (no task per request, so a list of 50 000
costs ``limit`` tasks), each outcome lands at its request's position, and a typed error
is that item's outcome: one failure does not stop the others. Any other exception is a
bug and ends the call (the other workers are cancelled).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import cast

from fluent_ai.engine.batch_api import Result
from fluent_ai.engine.batch_progress import Tally
from fluent_ai.types import ChatRequest, ChatResponse, FluentAIError


async def run_concurrent(
    call: Callable[[ChatRequest], Awaitable[ChatResponse]],
    requests: Sequence[ChatRequest],
    limit: int,
    tally: Tally,
) -> list[Result]:
    """Every request's answer or typed error, in the order of ``requests``."""
    results: list[Result | None] = [None] * len(requests)
    pending = iter(enumerate(requests))

    async def worker() -> None:
        for index, request in pending:  # shared: each item is taken by one worker
            try:
                results[index] = await call(request)
            except FluentAIError as error:
                results[index] = error
            tally.item(isinstance(results[index], FluentAIError))

    async with asyncio.TaskGroup() as group:
        for _ in range(min(limit, len(requests))):
            group.create_task(worker())
    return cast(list[Result], results)  # every position was filled by a worker
