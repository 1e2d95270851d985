"""Fact extraction: a model reads new text against the closest stored facts and proposes
what to add, update or retire, through tool calls that are checked before anything
is written.

``Memory.add`` never calls a model: it stores what it is given, at once. ``learn(text)``
is the opt-in step on top: it finds the ``k`` stored facts (``semantic`` memories, in
scope) closest to the text, shows them to the model numbered 1..k, and asks for one
tool call per change: ``add_fact``, ``update_fact``, ``delete_fact`` or ``no_change``.
Every call is validated (known tool, a number that was shown, a fact that is not empty,
an importance from 0 to 1) before the first write; one bad call refuses the whole
answer with :class:`FactExtractionError` and nothing is written. An update adds the new
fact and invalidates the old one by it (a ``contradicts`` edge, ``valid_until``); a
delete invalidates; nothing is erased, so ``search(as_of=...)`` still knows the past.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from fluent_ai._sync import run_sync
from fluent_ai.memory import validate
from fluent_ai.memory.base import MemoryBase
from fluent_ai.memory.errors import MemoryStoreError
from fluent_ai.memory.observe import observed
from fluent_ai.memory.types import MemoryRecord, Scope

if TYPE_CHECKING:
    from fluent_ai.memory.memory import Memory
    from fluent_ai.types import ToolCallPart

Operation = Literal["add", "update", "delete", "none"]

INSTRUCTIONS = (
    "You keep a list of facts about the user and the world up to date. You are shown the "
    "facts already known, numbered, and a new piece of information. Call one tool for "
    "each change the new information makes: add_fact for a new fact, update_fact when it "
    "changes a known fact, delete_fact when it shows a known fact is no longer true, and "
    "no_change (once, alone) when it adds nothing. Write each fact as one short, "
    "self-contained sentence."
)

_NUMBER = {"type": "integer", "description": "the number of the known fact"}
_FACT = {"type": "string", "description": "the fact, one self-contained sentence"}
TOOLS: dict[str, dict[str, Any]] = {
    "add_fact": {
        "description": "Store a new fact.",
        "properties": {
            "fact": _FACT,
            "importance": {"type": "number", "description": "from 0 (trivia) to 1 (vital)"},
        },
        "required": ["fact", "importance"],
    },
    "update_fact": {
        "description": "Replace a known fact with what is true now.",
        "properties": {"number": _NUMBER, "fact": _FACT},
        "required": ["number", "fact"],
    },
    "delete_fact": {
        "description": "Retire a known fact that is no longer true.",
        "properties": {"number": _NUMBER, "reason": {"type": "string"}},
        "required": ["number", "reason"],
    },
    "no_change": {"description": "The information changes nothing.", "properties": {}},
}


class FactExtractionError(MemoryStoreError):
    """The model's proposals could not be used (an unknown tool, a fact number it was
    not shown, an empty fact, arguments that are not JSON); nothing was written."""


@dataclass(frozen=True, slots=True)
class FactChange:
    """One change made: ``memory`` is the fact added (add, update), ``replaced`` the id
    of the fact it retired (update, delete)."""

    operation: Operation
    memory: MemoryRecord | None = None
    replaced: str | None = None
    reason: str | None = None


def written(changes: list[FactChange]) -> list[str]:
    """The ids of the facts a ``learn`` wrote: those it added and those it retired."""
    return [
        found
        for change in changes
        for found in (change.memory.id if change.memory else None, change.replaced)
        if found is not None
    ]


@dataclass(frozen=True, slots=True)
class _Proposal:
    operation: Operation
    fact: str | None = None
    target: MemoryRecord | None = None
    importance: float = 0.5
    reason: str | None = None


def request_for(text: str, known: list[MemoryRecord], model: str) -> Any:
    """The chat request that asks ``model`` for its proposals."""
    from fluent_ai.types import ChatRequest, Message, ToolChoice, ToolSpec

    listed = "\n".join(f"{n}. {record.content}" for n, record in enumerate(known, 1))
    prompt = f"Known facts:\n{listed or '(none)'}\n\nNew information:\n{text}"
    tools = [
        ToolSpec(
            name=name,
            description=spec["description"],
            parameters={
                "type": "object",
                "properties": spec["properties"],
                "required": spec.get("required", []),
                "additionalProperties": False,
            },
        )
        for name, spec in TOOLS.items()
    ]
    return ChatRequest(
        model=model,
        system=INSTRUCTIONS,
        messages=[Message.user(prompt)],
        tools=tools,
        tool_choice=ToolChoice(mode="required"),
        temperature=0,
    )


def proposals(calls: list[ToolCallPart], known: list[MemoryRecord]) -> list[_Proposal]:
    """The model's tool calls, checked; raises :class:`FactExtractionError`."""
    if not calls:
        raise FactExtractionError("the model proposed nothing: it made no tool call")
    found = []
    for call in calls:
        if call.name not in TOOLS:
            raise FactExtractionError(f"the model called an unknown tool {call.name!r}")
        try:
            arguments = json.loads(call.arguments or "{}")
        except ValueError as exc:
            raise FactExtractionError(f"{call.name}: arguments are not JSON: {exc}") from exc
        if not isinstance(arguments, dict):
            raise FactExtractionError(f"{call.name}: arguments should be an object")
        found.append(_checked(call.name, arguments, known))
    return found


def _checked(name: str, arguments: dict[str, Any], known: list[MemoryRecord]) -> _Proposal:
    if name == "no_change":
        return _Proposal("none")
    target = None
    if name in ("update_fact", "delete_fact"):
        number = arguments.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= len(known):
            raise FactExtractionError(
                f"{name}: fact number {number!r} was not among the {len(known)} shown"
            )
        target = known[number - 1]
    if name == "delete_fact":
        return _Proposal("delete", target=target, reason=str(arguments.get("reason") or ""))
    fact = arguments.get("fact")
    if not isinstance(fact, str) or not fact.strip():
        raise FactExtractionError(f"{name}: the fact is empty")
    if name == "update_fact":
        return _Proposal("update", fact=fact.strip(), target=target)
    importance = arguments.get("importance", 0.5)
    if isinstance(importance, bool) or not isinstance(importance, int | float):
        raise FactExtractionError(f"add_fact: importance {importance!r} is not a number")
    return _Proposal("add", fact=fact.strip(), importance=min(max(float(importance), 0.0), 1.0))


async def learn(
    memory: Memory,
    text: str,
    model: str,
    *,
    scope: Scope,
    k: int,
    source: str | None,
    api_key: str | None,
    base_url: str | None,
) -> list[FactChange]:
    """See :meth:`fluent_ai.memory.Memory.learn`."""
    from fluent_ai.providers.catalog import chat_model, split_model

    hits = await memory.search(text, k=k, scope=scope, kinds=["semantic"], track_access=False)
    known = [hit.memory for hit in hits]
    _, name = split_model(model)
    async with chat_model(model, api_key=api_key, base_url=base_url) as chat:
        response = await chat.complete(request_for(text, known, name))
    changes = []
    for proposal in proposals(response.message.tool_calls, known):
        changes.append(await _apply(memory, proposal, scope, source))
    return changes


async def _apply(
    memory: Memory, proposal: _Proposal, scope: Scope, source: str | None
) -> FactChange:
    if proposal.operation == "none" or (proposal.fact is None and proposal.target is None):
        return FactChange("none")
    if proposal.operation == "delete" and proposal.target is not None:
        await memory.invalidate(proposal.target.id)
        return FactChange("delete", replaced=proposal.target.id, reason=proposal.reason)
    keep = proposal.target.importance if proposal.target is not None else proposal.importance
    added = await memory.add(
        proposal.fact or "", kind="semantic", scope=scope, importance=keep, source=source
    )
    if proposal.operation == "update" and proposal.target is not None:
        await memory.invalidate(proposal.target.id, by=added.id)
        return FactChange("update", memory=added, replaced=proposal.target.id)
    return FactChange("add", memory=added)


class FactMethods(MemoryBase):
    """:class:`~fluent_ai.memory.Memory`'s fact extraction with a model."""

    @observed("learn", written)
    async def learn(
        self,
        text: str,
        model: str,
        *,
        scope: Scope | None = None,
        k: int = 5,
        source: str | None = "learned",
        api_key: str | None = None,
        base_url: str | None = None,
    ) -> list[FactChange]:
        """Let ``model`` (``"openai/gpt-4o-mini"``, ``"local/smollm2"``, …) compare
        ``text`` with the ``k`` stored facts closest to it in ``scope`` and apply the
        changes it proposes (add, update, retire), each checked first; what changed.
        :meth:`add` stores text as it is, with no model (see this module's docstring).
        """
        return await learn(
            cast("Memory", self),
            validate.content(text),
            model,
            scope=scope or Scope(),
            k=k,
            source=source,
            api_key=api_key,
            base_url=base_url,
        )

    def learn_sync(self, text: str, model: str, **options: Any) -> list[FactChange]:
        return run_sync(self.learn(text, model, **options))
