"""Long-term memory for an agent: recall before each turn, remember after it.

``FluentAI.agent("x").memory(Memory.open(...))`` wires a :class:`fluent_ai.memory.Memory`
into every turn (chat, stream, loop and their sync twins):

- **Recall**: before the model is called, the store is searched with the user's message
  (hybrid search, the configured scope and ``k``; the previous user message blended in
  at half weight, so that follow-ups find their subject); the hits enter the system prompt as a
  ``Relevant memories:`` block, each with its date, within the token budget the agent
  manages for context: ``.context(...)`` files are fitted first, at build time, and the
  memories get what is left of the same budget, dropped lowest-score first when they do
  not all fit. ``reply.memories`` holds the hits that went in.
- **Remember**: when the reply is complete (not when the run failed or the stream was
  left early), the user's message and the final answer are stored as ``episodic``
  memories in the scope, ``source="agent:<name>"``, the answer ``follows`` the message.
  A store that fails then does not cost the reply: the error is logged (logger
  ``fluent_ai.agent``) and kept in ``reply.memory_error`` as a
  :class:`~fluent_ai.agent.errors.TurnNotStoredError`.
- **Learn** (opt-in, ``learn=True`` for the agent's own model or ``learn="provider/model"``):
  after the turn is stored, the model compares the user's message with the closest
  stored facts and adds, updates or retires facts (:meth:`fluent_ai.memory.Memory.learn`);
  ``reply.facts`` lists the changes. Only the user's message is read: the answer is the
  model's own words, and learning from it would turn its guesses into facts. A failure
  is kept in ``reply.memory_error`` as a :class:`~fluent_ai.agent.errors.FactsNotLearnedError`.

The memory package is imported only by an agent that has a memory, so an agent without
one never loads it (nor SurrealDB, which the store loads when it opens).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fluent_ai.agent.errors import FactsNotLearnedError, TurnNotStoredError
from fluent_ai.templates.tokenizer import DEFAULT_TOKENIZER, Tokenizer
from fluent_ai.types import FluentAIError

if TYPE_CHECKING:
    from fluent_ai.memory import FactChange, Hit, Memory, Scope

logger = logging.getLogger("fluent_ai.agent")

HEADER = "Relevant memories:"
"""The first line of the memory block in the system prompt."""


@dataclass(frozen=True)
class MemorySettings:
    """What ``.memory(...)`` configured, checked at build.

    ``budget_tokens`` is what the context budget leaves for memories once the
    ``.context(...)`` files are in. ``learn`` is the model that extracts facts after each
    turn (``None``: none), ``learn_options`` its ``api_key`` / ``base_url``.
    """

    memory: Memory
    scope: Scope
    k: int
    store_turns: bool
    min_score: float | None
    budget_tokens: int
    learn: str | None = None
    learn_options: Mapping[str, str] = field(default_factory=dict)


def memory_problems(memory: Any, k: int, min_score: float | None, learn: Any = False) -> list[str]:
    """What is wrong with ``.memory(...)``'s arguments, as build problems."""
    from fluent_ai.memory import Memory
    from fluent_ai.providers.catalog import split_model

    found = []
    if not isinstance(memory, Memory):
        found.append(
            f".memory(...): expected a fluent_ai.memory.Memory, got {type(memory).__name__}; "
            'open one with Memory.open("surrealkv://~/.fluent-ai/memory")'
        )
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        found.append(f".memory(..., k={k!r}): must be a whole number, at least 1")
    number = isinstance(min_score, int | float) and not isinstance(min_score, bool)
    if min_score is not None and not (number and -1 <= min_score <= 1):
        found.append(
            f".memory(..., min_score={min_score!r}): a cosine similarity, from -1 to 1 "
            "(None uses every hit)"
        )
    if isinstance(learn, str):
        try:
            split_model(learn)
        except (FluentAIError, ValueError) as exc:
            found.append(f".memory(..., learn={learn!r}): {exc}")
    elif not isinstance(learn, bool):
        found.append(
            f".memory(..., learn={learn!r}): True (the agent's own model), False, "
            'or a "provider/model" string such as "openai/gpt-4o-mini"'
        )
    return found


def default_scope(scope: Scope | None, agent: str) -> Scope:
    """``scope``, or the agent's own: ``Scope(agent=<name>)``."""
    from fluent_ai.memory import Scope

    if scope is not None and not isinstance(scope, Scope):
        raise TypeError(f"scope must be a fluent_ai.memory.Scope, got {type(scope).__name__}")
    return scope if scope is not None else Scope(agent=agent)


def learning(learn: bool | str, model: str, options: Mapping[str, str | None]) -> dict[str, Any]:
    """:class:`MemorySettings`' learning model for ``.memory(..., learn=...)`` and, when
    it is the agent's own ``model``, the agent's key and base URL (``options``) with it."""
    if learn is True:
        own = {key: value for key, value in options.items() if value is not None}
        return {"learn": model, "learn_options": own}
    return {"learn": learn} if isinstance(learn, str) else {}


async def recall(settings: MemorySettings, text: str, previous: str = "") -> list[Hit]:
    """The memories to give the model for a message: found, filtered, fitted to budget.

    ``previous`` is the user's message before this one: its meaning is blended into the
    search (at half the weight), so a follow-up such as "and what is its name?" finds
    what the conversation is about (:mod:`fluent_ai.memory.query`).
    """
    from fluent_ai.memory.validate import MAX_CONTENT_CHARS

    query = text.strip()[:MAX_CONTENT_CHARS]
    if not query:
        return []
    before = previous.strip()[:MAX_CONTENT_CHARS]
    hits = await settings.memory.search(
        query, k=settings.k, scope=settings.scope, context=[before] if before else []
    )
    if settings.min_score is not None:
        floor = settings.min_score
        hits = [hit for hit in hits if hit.scores.get("vector", -2.0) >= floor]
    kept = fit_memories(hits, settings.budget_tokens)
    if len(kept) < len(hits):
        logger.debug(
            "%d of %d memories left out: the %d-token budget left for memories was used up",
            len(hits) - len(kept),
            len(hits),
            settings.budget_tokens,
        )
    return kept


def fit_memories(
    hits: list[Hit], budget_tokens: int, tokenizer: Tokenizer = DEFAULT_TOKENIZER
) -> list[Hit]:
    """The best hits whose rendered block fits ``budget_tokens``; the rest are dropped.

    Hits are taken in order of score; the first one that does not fit ends the list, so
    what is dropped is always the lowest-scoring. A memory is never cut short: half a
    fact reads as a different fact.
    """
    ranked = sorted(hits, key=lambda hit: -hit.score)
    kept: list[Hit] = []
    cost = tokenizer.count(HEADER)
    for hit in ranked:
        cost += tokenizer.count("\n" + _line(hit))
        if cost > budget_tokens:
            break
        kept.append(hit)
    # Counted line by line; a tokenizer may count the joined block a little differently.
    while kept and tokenizer.count(render_memories(kept)) > budget_tokens:
        kept.pop()
    return kept


def render_memories(hits: list[Hit]) -> str:
    """The block for the system prompt: one line per memory, with its date and role."""
    if not hits:
        return ""
    return "\n".join([HEADER, *(_line(hit) for hit in hits)])


def _line(hit: Hit) -> str:
    record = hit.memory
    role = record.metadata.get("role")
    said = f" ({role})" if isinstance(role, str) else ""
    text = record.content.replace("\n", "\n  ")
    return f"- {record.created_at.date().isoformat()}{said}: {text}"


async def remember(
    settings: MemorySettings, agent: str, message: str, answer: str, started: datetime
) -> TurnNotStoredError | None:
    """Store a completed turn; a failure is logged and returned, never raised."""
    if not settings.store_turns:
        return None
    stored: list[str] = []
    try:
        await _store(settings, agent, message, answer, started, stored)
    except Exception as exc:  # any failure of the store: the reply must survive it
        error = TurnNotStoredError(settings.memory.url, stored, exc)
        logger.warning("%s", error, exc_info=exc)
        return error
    return None


async def _store(
    settings: MemorySettings,
    agent: str,
    message: str,
    answer: str,
    started: datetime,
    stored: list[str],
) -> None:
    from fluent_ai.memory.validate import MAX_CONTENT_CHARS

    ids = []
    for role, text, when in (("user", message, started), ("assistant", answer, None)):
        content = text.strip()
        if not content:
            continue
        cut = len(content) > MAX_CONTENT_CHARS
        record = await settings.memory.add(
            content[:MAX_CONTENT_CHARS],
            kind="episodic",
            scope=settings.scope,
            source=f"agent:{agent}",
            metadata={"role": role, **({"truncated": True} if cut else {})},
            created_at=when,
        )
        ids.append(record.id)
        stored.append(f"{role} message {record.id}")
    if len(ids) == 2:
        await settings.memory.relate(ids[1], ids[0], "follows")


async def learn_from(
    settings: MemorySettings, agent: str, message: str
) -> tuple[list[FactChange], FactsNotLearnedError | None]:
    """The facts the learning model drew from ``message``; a failure is logged and
    returned, never raised (the reply is whole without them)."""
    if settings.learn is None or not message.strip():
        return [], None
    from fluent_ai.memory.validate import MAX_CONTENT_CHARS

    try:
        changes = await settings.memory.learn(
            message.strip()[:MAX_CONTENT_CHARS],
            settings.learn,
            scope=settings.scope,
            source=f"agent:{agent}",
            api_key=settings.learn_options.get("api_key"),
            base_url=settings.learn_options.get("base_url"),
        )
    except Exception as exc:  # a model or store failure: the reply must survive it
        error = FactsNotLearnedError(settings.learn, exc)
        logger.warning("%s", error, exc_info=exc)
        return [], error
    return changes, None


def now() -> datetime:
    return datetime.now(UTC)
