"""Many texts, few requests: split into batches, run them side by side, check, reassemble.

Every embedding model, remote or local, goes through :func:`embed_in_batches`, so the
guarantees are the same everywhere:

* batches never hold more texts than the model allows per request, nor, where the
  vendor also caps tokens per request, more than its budget of estimated tokens;
* at most ``limit`` batches are in flight, shared by every call on the same model, so
  ten concurrent ``embed`` calls do not open ten times as many requests;
* vectors come back in the order of the texts, however the batches finish;
* each batch must return one vector per text, and every vector the same length (the
  requested one, when the caller asked for a length): anything else is a
  :class:`~fluent_ai.types.errors.BadResponseError`, never a silently wrong index;
* the first failure cancels the batches still pending and is raised as it is.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from fluent_ai.embeddings.types import ProgressCallback
from fluent_ai.types.errors import BadResponseError, ConfigurationError


@dataclass(frozen=True, slots=True)
class EmbedBatch:
    """The decoded answer for one batch; ``input_tokens`` as the vendor counted them."""

    vectors: list[list[float]]
    input_tokens: int | None = None


BatchEmbedder = Callable[[Sequence[str]], Awaitable[EmbedBatch]]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every vector in text order, and the token count summed over the batches."""

    vectors: list[list[float]]
    input_tokens: int | None


class ConcurrencyLimit:
    """At most ``size`` batches in flight per model, on each event loop.

    An :class:`asyncio.Semaphore` belongs to the loop that first waits on it, and one
    model may be used both from ``asyncio.run`` and from the sync API's background
    loop, so there is one semaphore per loop, forgotten with the loop.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ConfigurationError(f"concurrency must be at least 1, not {size}")
        self.size = size
        self._semaphores: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Semaphore
        ] = weakref.WeakKeyDictionary()

    def semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.size)
        return semaphore


def check_batch_size(batch_size: int, limit: int | None, provider: str) -> int:
    """``batch_size`` if the vendor accepts that many texts per request."""
    if batch_size < 1 or (limit is not None and batch_size > limit):
        most = f" and {limit}" if limit is not None else ""
        raise ConfigurationError(
            f"batch_size for {provider} must be between 1{most}, not {batch_size}"
        )
    return batch_size


def estimated_tokens(text: str) -> int:
    """A deliberately high guess at a text's token count: one token per 3 bytes of UTF-8.

    English runs about 4 bytes per token and most CJK text about 3, so the guess errs
    towards smaller requests rather than rejected ones, without needing each vendor's
    tokenizer.
    """
    return len(text.encode("utf-8")) // 3 + 1


def plan_batches(texts: Sequence[str], batch_size: int, max_tokens: int | None) -> list[range]:
    """Consecutive index ranges, each within ``batch_size`` texts and ``max_tokens``.

    A single text over the budget still gets a batch of its own: whether it fits the
    model is the vendor's call, and its error says so better than a guess could.
    """
    if max_tokens is None:
        return [range(i, min(i + batch_size, len(texts))) for i in range(0, len(texts), batch_size)]
    batches, start, tokens = [], 0, 0
    for index, text in enumerate(texts):
        cost = estimated_tokens(text)
        if index > start and (index - start == batch_size or tokens + cost > max_tokens):
            batches.append(range(start, index))
            start, tokens = index, 0
        tokens += cost
    if start < len(texts):
        batches.append(range(start, len(texts)))
    return batches


async def embed_in_batches(
    texts: Sequence[str],
    embed_batch: BatchEmbedder,
    *,
    batch_size: int,
    limit: ConcurrencyLimit,
    provider: str,
    max_batch_tokens: int | None = None,
    dimensions: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> BatchResult:
    """Embed ``texts`` with ``embed_batch``, one call per planned batch.

    ``dimensions``, when given, is the length every vector must have; otherwise every
    vector must match the first one that arrived.
    """
    if isinstance(texts, str):
        # A str is a Sequence[str] of characters: one vector per letter is never meant.
        raise TypeError("embed takes a list of texts, not a single string: pass [text]")
    total = len(texts)
    if total == 0:
        return BatchResult([], None)
    batches = plan_batches(texts, batch_size, max_batch_tokens)
    results: list[EmbedBatch | None] = [None] * len(batches)
    semaphore = limit.semaphore()
    done = 0
    expected = dimensions

    async def run(slot: int, indices: range) -> None:
        nonlocal done, expected
        async with semaphore:
            result = await embed_batch(texts[indices.start : indices.stop])
        expected = _check(result, indices, expected, provider)
        results[slot] = result
        done += len(indices)
        if on_progress is not None:
            on_progress(done, total)

    await _all_or_nothing([run(slot, indices) for slot, indices in enumerate(batches)])
    return _assemble([result for result in results if result is not None])


async def _all_or_nothing(coroutines: list[Awaitable[None]]) -> None:
    """Await every coroutine; on the first failure cancel the rest and raise it as it is.

    ``asyncio.TaskGroup`` would wrap the error in an ``ExceptionGroup``; callers of
    ``embed`` expect the typed error itself.
    """
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _check(result: EmbedBatch, indices: range, expected: int | None, provider: str) -> int | None:
    """The dimension every later vector must have; raises on a wrong count or length."""
    if len(result.vectors) != len(indices):
        raise BadResponseError(
            f"the batch of texts {indices.start}..{indices.stop - 1} got "
            f"{len(result.vectors)} vectors for {len(indices)} texts",
            provider=provider,
        )
    for index, vector in zip(indices, result.vectors, strict=True):
        if not vector:
            raise BadResponseError(f"text {index} got an empty vector", provider=provider)
        if expected is None:
            expected = len(vector)
        elif len(vector) != expected:
            raise BadResponseError(
                f"text {index} got a vector of {len(vector)} dimensions, expected {expected}",
                provider=provider,
            )
    return expected


def _assemble(results: list[EmbedBatch]) -> BatchResult:
    vectors = [vector for result in results for vector in result.vectors]
    counts = [result.input_tokens for result in results]
    tokens = None if None in counts else sum(count or 0 for count in counts)
    return BatchResult(vectors, tokens)
