"""Which batch API each request of a batch goes to, and the remote batches run.

Each vendor's share of the requests goes in one remote batch (several past the most
one batch takes), all followed at once; every outcome is put back at its request's
position. An item that cannot be encoded (a model without image input given an image)
gets its error at once, without being sent, and the others go.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from fluent_ai.engine.batch_api import (
    BATCH_KEY,
    BatchAPI,
    Polling,
    Result,
    Snapshot,
    Upstream,
    run_job,
)
from fluent_ai.engine.batch_progress import Tally
from fluent_ai.providers.base import ChatModel
from fluent_ai.providers.remote import HttpChatModel
from fluent_ai.types import ChatRequest, ChatResponse, FluentAIError

if TYPE_CHECKING:
    from fluent_ai.engine.router import Router


@dataclass(frozen=True)
class Item:
    """One request as a batch API will take it: where it goes and as what."""

    index: int
    api: BatchAPI
    request: ChatRequest
    deployment: str | None


def api_for(model: ChatModel) -> BatchAPI | None:
    """The batch API that serves ``model``'s chat endpoint, if its vendor has one.

    An observed model (a router's deployments with ``on_event`` or ``log``) is looked
    through: a batch goes to the vendor as one job, not as calls to observe one by one.
    """
    from fluent_ai.engine.observe import innermost

    model = innermost(model)
    if not isinstance(model, HttpChatModel):
        return None
    from fluent_ai.providers.anthropic.protocol import AnthropicProtocol
    from fluent_ai.providers.openai.protocol import OpenAIChatProtocol

    if model.provider == "openai" and isinstance(model.protocol, OpenAIChatProtocol):
        from fluent_ai.engine.batch_openai import OpenAIBatch

        return OpenAIBatch(Upstream(model))
    if model.provider == "anthropic" and isinstance(model.protocol, AnthropicProtocol):
        from fluent_ai.engine.batch_anthropic import AnthropicBatch

        return AnthropicBatch(Upstream(model))
    return None


async def assign(
    target: ChatModel, router: Router | None, items: list[ChatRequest], tags: Sequence[str] | None
) -> tuple[list[Item], list[str]]:
    """Where each request goes in a batch API, and why those that cannot go cannot."""
    from fluent_ai.engine.shape import needs

    if router is None:
        api = api_for(target)
        if api is None:
            return [], [
                f"request {i}: {target.provider} has no batch API" for i in range(len(items))
            ]
        return [Item(i, api, r, None) for i, r in enumerate(items)], []
    apis: dict[str, BatchAPI | None] = {}
    assigned: list[Item] = []
    refused: list[str] = []
    for index, request in enumerate(items):
        request, group, _ = await router._plan.choose(request, tags)
        need = needs(request)
        for member in group:
            if member.name not in apis:
                apis[member.name] = api_for(member.model)
            api = apis[member.name]
            if api is not None and member.unfit(need) is None:
                assigned.append(Item(index, api, member.prepare(request), member.name))
                break
        else:
            names = ", ".join(m.name for m in group)
            refused.append(f"request {index}: none of {names} both fits it and has a batch API")
    return assigned, refused


async def by_api(assigned: list[Item], total: int, polling: Polling, tally: Tally) -> list[Result]:
    """Submit each vendor's share as one batch (or several, past its size), follow them
    all at once, and put every outcome back at its request's position."""
    results: list[Result | None] = [None] * total
    groups: dict[int, list[Item]] = {}
    for item in assigned:
        groups.setdefault(id(item.api), []).append(item)
    jobs = []
    for group in groups.values():
        api = group[0].api
        entries, models, where = [], {}, {}
        for item in group:
            custom_id = f"request-{item.index}"
            try:
                entries.append(api.entry(custom_id, item.request))
            except FluentAIError as error:  # this item cannot be sent; the others go
                results[item.index] = error
                tally.item(True)
                continue
            models[custom_id] = item.request.model
            where[custom_id] = item
        for start in range(0, len(entries), api.max_requests):
            jobs.append((api, entries[start : start + api.max_requests], models, where))

    def report(snapshot: Snapshot) -> None:
        tally.job(snapshot.batch_id, snapshot.status, snapshot.done, snapshot.errors)

    said: list[str] = []
    try:
        async with asyncio.TaskGroup() as group_:
            tasks = [
                (
                    group_.create_task(run_job(api, chunk, models, polling, report, said.append)),
                    where,
                )
                for api, chunk, models, where in jobs
            ]
    except asyncio.CancelledError as cancelled:
        for note in said:
            cancelled.add_note(note)
        raise
    for task, where in tasks:
        for custom_id, result in task.result().items():
            item = where[custom_id]
            results[item.index] = labelled(result, item.deployment)
    return cast(list[Result], results)


def labelled(result: Result, deployment: str | None) -> Result:
    """``result``, its batch note naming the router's deployment that answered."""
    if deployment is None or not isinstance(result, ChatResponse):
        return result
    note = {**result.extra.get(BATCH_KEY, {}), "deployment": deployment}
    return result.model_copy(update={"extra": {**result.extra, BATCH_KEY: note}})
