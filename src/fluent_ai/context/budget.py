"""Fitting context documents into a token budget, so context never silently overflows.

Documents are taken in order: sources in the order given, each source's files in
path order, so the caller lists what matters most first. Every document that fits
whole goes in; the first one that does not is cut to the tokens left (and marked
``truncated`` in the rendered context), and every later one is dropped. A document
whose path an earlier source already supplied is left out as a duplicate. Each cut,
drop and duplicate is recorded in :attr:`ContextBundle.skipped` with its numbers.

The guarantee is on the text the model gets: ``tokenizer.count(bundle.render())`` is
at most ``budget_tokens``. Documents are costed one block at a time, and a tokenizer
may count joined blocks a token or two differently, so the joined text is counted
once more at the end and the last document trimmed if it must be.

To budget for a model, give its window minus room for the rest of the prompt and the
answer: ``info.max_input_tokens - reserved`` for a :class:`fluent_ai.models.ModelInfo`
whose window is known (it is ``None`` for models the registry has not heard of).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import Literal

from fluent_ai.context.bundle import ContextBundle, block_tokens
from fluent_ai.context.document import ContextDocument, Skipped
from fluent_ai.context.errors import ContextOverflowError
from fluent_ai.context.sources import ContextSource
from fluent_ai.templates.tokenizer import DEFAULT_TOKENIZER, Tokenizer

Overflow = Literal["truncate", "error"]
"""What to do when the documents do not fit: cut and drop (recorded), or raise."""


def build_context(
    sources: ContextSource | Iterable[ContextSource],
    budget_tokens: int | None,
    tokenizer: Tokenizer | None = None,
    *,
    on_overflow: Overflow = "truncate",
) -> ContextBundle:
    """Load ``sources`` and fit their documents into ``budget_tokens`` (``None``: no limit).

    With ``on_overflow="error"``, documents that do not all fit raise
    :class:`ContextOverflowError` instead of being cut.
    """
    counter = DEFAULT_TOKENIZER if tokenizer is None else tokenizer
    loaded = [source.load(counter) for source in _listed(sources)]
    return fit(loaded, budget_tokens, counter, on_overflow=on_overflow)


async def abuild_context(
    sources: ContextSource | Iterable[ContextSource],
    budget_tokens: int | None,
    tokenizer: Tokenizer | None = None,
    *,
    on_overflow: Overflow = "truncate",
) -> ContextBundle:
    """:func:`build_context` for async code: sources load with ``aload``, at the same time."""
    counter = DEFAULT_TOKENIZER if tokenizer is None else tokenizer
    loaded = await asyncio.gather(*(source.aload(counter) for source in _listed(sources)))
    return await asyncio.to_thread(fit, loaded, budget_tokens, counter, on_overflow=on_overflow)


def fit(
    bundles: Sequence[ContextBundle],
    budget_tokens: int | None,
    tokenizer: Tokenizer,
    *,
    on_overflow: Overflow = "truncate",
) -> ContextBundle:
    """One bundle from loaded ones, its documents fitted to ``budget_tokens``."""
    if budget_tokens is not None and budget_tokens < 0:
        raise ValueError(f"budget_tokens must be 0 or more, not {budget_tokens}")
    documents, skipped = _merge(bundles)
    if budget_tokens is None:
        kept = documents
    else:
        if on_overflow == "error":
            _check_fits(documents, budget_tokens, tokenizer)
        kept = _settle(_take(documents, budget_tokens, tokenizer), budget_tokens, tokenizer)
        skipped.extend(_budget_records(documents, kept, budget_tokens))
    total = sum(block_tokens(document, tokenizer) for document in kept)
    return ContextBundle(tuple(kept), tuple(skipped), total, budget_tokens)


def _listed(sources: ContextSource | Iterable[ContextSource]) -> list[ContextSource]:
    return [sources] if isinstance(sources, ContextSource) else list(sources)


def _merge(bundles: Sequence[ContextBundle]) -> tuple[list[ContextDocument], list[Skipped]]:
    documents: list[ContextDocument] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for bundle in bundles:
        skipped.extend(bundle.skipped)
        for document in bundle.documents:
            if document.path in seen:
                skipped.append(
                    Skipped(document.path, "duplicate", "an earlier source already included it")
                )
                continue
            seen.add(document.path)
            documents.append(document)
    return documents, skipped


def _check_fits(documents: list[ContextDocument], budget: int, tokenizer: Tokenizer) -> None:
    needed = sum(block_tokens(document, tokenizer) for document in documents)
    if needed <= budget:
        # Costed block by block it fits, so the joined text is small enough to count.
        needed = max(needed, tokenizer.count(ContextBundle(tuple(documents)).render()))
    if needed > budget:
        raise ContextOverflowError(needed, budget, len(documents))


def _take(
    documents: list[ContextDocument], budget: int, tokenizer: Tokenizer
) -> list[ContextDocument]:
    """The documents that fit whole, then the first that does not, cut to what is left."""
    kept: list[ContextDocument] = []
    left = budget
    for document in documents:
        cost = block_tokens(document, tokenizer)
        if cost > left:
            cut = _cut(document, left, tokenizer)
            if cut is not None:
                kept.append(cut)
            break
        kept.append(document)
        left -= cost
    return kept


def _cut(document: ContextDocument, room: int, tokenizer: Tokenizer) -> ContextDocument | None:
    """``document`` cut so its block costs at most ``room``, or ``None`` if no text fits."""
    # The closing tag of a cut that does not end a line needs one more newline.
    tags = block_tokens(ContextDocument(document.path, "-", 0, truncated=True), tokenizer)
    if room <= tags:
        return None
    text = tokenizer.truncate(document.text, room - tags)
    if not text:
        return None
    return ContextDocument(document.path, text, tokenizer.count(text), truncated=True)


def _settle(
    kept: list[ContextDocument], budget: int, tokenizer: Tokenizer
) -> list[ContextDocument]:
    """Trim the last documents until the joined, rendered text itself counts within budget."""
    while kept:
        excess = tokenizer.count(ContextBundle(tuple(kept)).render()) - budget
        if excess <= 0:
            break
        last = kept.pop()
        cut = _cut(last, block_tokens(last, tokenizer) - excess, tokenizer)
        if cut is not None:
            kept.append(cut)
    return kept


def _budget_records(
    documents: list[ContextDocument], kept: list[ContextDocument], budget: int
) -> list[Skipped]:
    fitted = {document.path: document for document in kept}
    records: list[Skipped] = []
    for document in documents:
        cut = fitted.get(document.path)
        if cut is None:
            records.append(
                Skipped(
                    document.path,
                    "dropped",
                    f"{document.tokens:,} tokens, left out: the {budget:,}-token budget "
                    "was used up",
                )
            )
        elif cut is not document:
            records.append(
                Skipped(
                    document.path,
                    "truncated",
                    f"cut from {document.tokens:,} to {cut.tokens:,} tokens to fit the "
                    f"{budget:,}-token budget",
                )
            )
    return records
