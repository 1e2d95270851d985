"""Trimming a conversation to a token budget, oldest turns first.

A turn starts at a user message that asks something (one that is not only tool
results) and runs to the next. Whole turns are dropped from the oldest, so what is
left still starts with a question. If the newest turn alone is too long (an agent's
long tool loop), its own steps are dropped next, oldest first, but never its user
message: that is what the model must answer.

Two things are never cut apart or dropped:

- a tool call and the result answering it: providers reject a result whose call is
  missing, and a call without its result. Units of dropping are widened until no
  call-result pair straddles their edges;
- the system prompt and any ``system`` messages, which carry the instructions.

When even the system prompt, system messages and latest user message exceed the
budget, that minimum is returned: nothing smaller is a usable prompt, and the
provider's own context error then says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from fluent_ai.chat.tokens import message_tokens, system_tokens
from fluent_ai.templates.tokenizer import Tokenizer
from fluent_ai.types.messages import Message, ToolCallPart, ToolResultPart


def trim_messages(
    system: str | None, messages: Sequence[Message], max_tokens: int, tokenizer: Tokenizer
) -> list[Message]:
    """The messages to keep so the prompt fits ``max_tokens``, in their original order."""
    costs = [message_tokens(message, tokenizer) for message in messages]
    total = system_tokens(system, tokenizer) + sum(costs)
    kept = set(range(len(messages)))
    latest = latest_prompt(messages)
    for unit in drop_order(messages):
        if total <= max_tokens:
            break
        if latest in unit:
            continue
        kept.difference_update(unit)
        total -= sum(costs[index] for index in unit)
    return [message for index, message in enumerate(messages) if index in kept]


def latest_prompt(messages: Sequence[Message]) -> int | None:
    """The index of the last user message that asks something, not only returns tool results."""
    for index in range(len(messages) - 1, -1, -1):
        if is_prompt(messages[index]):
            return index
    return None


def is_prompt(message: Message) -> bool:
    """A user message with something besides tool results in it."""
    return message.role == "user" and any(
        not isinstance(part, ToolResultPart) for part in message.parts
    )


def drop_order(messages: Sequence[Message]) -> list[list[int]]:
    """Groups of message indexes, oldest first, each to be dropped whole.

    Every older turn is one group; the newest turn is split into its steps. A group
    edge is never placed between a tool call and its result; ``system`` messages
    belong to no group, so they are never dropped.
    """
    spanned = _spanned_edges(messages)
    turn_starts = [
        index for index, message in enumerate(messages) if is_prompt(message) and not spanned[index]
    ]
    last_turn = turn_starts[-1] if turn_starts else 0
    edges = [0] + [start for start in turn_starts if start > 0]
    edges += [index for index in range(last_turn + 1, len(messages)) if not spanned[index]]
    edges.append(len(messages))
    groups = []
    for start, end in itertools.pairwise(edges):
        group = [index for index in range(start, end) if messages[index].role != "system"]
        if group:
            groups.append(group)
    return groups


def _spanned_edges(messages: Sequence[Message]) -> list[bool]:
    """For each index ``k``: whether some tool call before ``k`` is answered at or after ``k``.

    An edge there would separate a call from its result. A result answers the latest
    call with its id made before it; results with no such call tie nothing.
    """
    spanned = [False] * (len(messages) + 1)
    calls: dict[str, int] = {}
    for index, message in enumerate(messages):
        for part in message.parts:
            if isinstance(part, ToolResultPart) and part.tool_call_id in calls:
                for edge in range(calls[part.tool_call_id] + 1, index + 1):
                    spanned[edge] = True
        for part in message.parts:
            if isinstance(part, ToolCallPart):
                calls[part.id] = index
    return spanned
