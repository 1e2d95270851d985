"""The real SmolLM2-135M-Instruct, run in-process: answers, streaming, settings, cancellation
and the built-graph cache.

The graph is built once for the session into a temporary cache directory; the cache
test then loads it again from there.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from gguf import GGMLQuantizationType

from fluent_ai.providers.local import LocalChatModel, LocalModel, load_local_model
from fluent_ai.providers.local import generate as generate_module
from fluent_ai.providers.local.catalog import SMOLLM2
from fluent_ai.providers.local.loader import read_local_model
from fluent_ai.providers.local.sampler import Sampler
from fluent_ai.providers.local.worker import THREAD_NAME
from fluent_ai.types import (
    ChatRequest,
    Finish,
    FinishReason,
    Message,
    ResponseStart,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from tests.support.llama_reference import write_tiny_llama

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fluent-ai-models")


@pytest.fixture(scope="session")
def local(cache_dir: Path) -> LocalModel:
    return load_local_model("smollm2", progress=False, cache_dir=cache_dir)


@pytest.fixture
def chat(local: LocalModel, cache_dir: Path) -> LocalChatModel:
    return LocalChatModel("smollm2", progress=False, cache_dir=cache_dir)


def ask(text: str, **settings: Any) -> ChatRequest:
    return ChatRequest(model="smollm2", messages=[Message.user(text)], **settings)


def generating_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


async def test_greedy_answer_is_right(chat: LocalChatModel) -> None:
    response = await chat.complete(ask("What is the capital of France?", temperature=0))
    assert "Paris" in response.text
    assert response.finish_reason is FinishReason.STOP
    assert response.raw_finish_reason == "eos"
    assert response.provider == "local"
    assert response.model == "smollm2-135m-instruct"


async def test_stream_yields_text_then_usage_then_finish(chat: LocalChatModel) -> None:
    events: list[StreamEvent] = [
        e async for e in chat.stream(ask("Name three colours.", temperature=0, max_tokens=24))
    ]
    assert isinstance(events[0], ResponseStart)
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) >= 3
    assert events[1 : 1 + len(deltas)] == deltas
    usage, finish = events[-2:]
    assert isinstance(usage, UsageUpdate)
    assert isinstance(finish, Finish)
    assert usage.usage.input_tokens > 10
    assert 0 < usage.usage.output_tokens <= 24


async def test_max_tokens_ends_with_length_after_exactly_that_many(chat: LocalChatModel) -> None:
    response = await chat.complete(ask("Write a long poem about the sea.", max_tokens=5))
    assert response.finish_reason is FinishReason.LENGTH
    assert response.usage.output_tokens == 5
    assert response.text


async def test_the_same_seed_gives_the_same_sampled_text(chat: LocalChatModel) -> None:
    def story(seed: int) -> ChatRequest:
        return ask("Tell me a story.", temperature=1.0, top_p=0.95, seed=seed, max_tokens=12)

    first = await chat.complete(story(7))
    again = await chat.complete(story(7))
    assert first.text == again.text
    # sampling really happens: other seeds do not all give the same words
    others = {(await chat.complete(story(seed))).text for seed in (1, 2)}
    assert others != {first.text}


async def test_a_stop_string_ends_the_answer_and_is_not_shown(chat: LocalChatModel) -> None:
    response = await chat.complete(
        ask("Count from 1 to 10, separated by commas.", temperature=0, stop=["5"])
    )
    assert response.text.startswith("1")
    assert "4" in response.text
    assert "5" not in response.text
    assert response.finish_reason is FinishReason.STOP
    assert response.raw_finish_reason == "stop"


GATE = 4
"""The token at which the first generation of a test waits to be told to halt."""


@pytest.fixture
def token_counter(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many tokens the model generates, counted where each one is chosen.

    The first generation waits at its ``GATE``-th token until it is told to halt, so a
    test that stops it knows that no more than a token or two follow its request, however
    slowly the event loop runs beside it (the wait's timeout only bounds a failure).
    """
    counts: list[int] = []
    halts: list[threading.Event] = []
    original_pick = Sampler.pick
    original_run = generate_module.run_generation

    parameters = inspect.signature(original_run)

    def run(*args: Any, **kwargs: Any) -> Any:
        halts.append(parameters.bind(*args, **kwargs).arguments["halt"])
        return original_run(*args, **kwargs)

    def counting(self: Sampler, *args: Any, **kwargs: Any) -> int:
        counts.append(1)
        if len(counts) == GATE and len(halts) == 1:
            halts[0].wait(timeout=60)
        return original_pick(self, *args, **kwargs)

    monkeypatch.setattr(generate_module, "run_generation", run)
    monkeypatch.setattr(Sampler, "pick", counting)
    return counts


LONG = ask("Write a very long story about a dragon.", temperature=0, max_tokens=300)


async def test_leaving_a_stream_stops_generation_and_the_next_request_works(
    chat: LocalChatModel, token_counter: list[int]
) -> None:
    async for event in chat.stream(LONG):
        if isinstance(event, TextDelta) and len(token_counter) >= 3:
            break
    answer = await chat.complete(ask("What is the capital of France?", temperature=0))
    assert "Paris" in answer.text
    assert len(token_counter) < 60 + answer.usage.output_tokens
    assert generating_threads() == []


async def test_closing_a_stream_joins_its_thread_at_once(
    chat: LocalChatModel, token_counter: list[int]
) -> None:
    async with contextlib.aclosing(chat.stream(LONG)) as events:
        async for event in events:
            if isinstance(event, TextDelta):
                break
    assert generating_threads() == []
    assert len(token_counter) < 20


async def test_cancelling_the_task_stops_generation(
    chat: LocalChatModel, token_counter: list[int]
) -> None:
    started = asyncio.Event()

    async def consume() -> None:
        async for event in chat.stream(LONG):
            if isinstance(event, TextDelta):
                started.set()

    task = asyncio.create_task(consume())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert generating_threads() == []
    assert len(token_counter) < 20


async def test_concurrent_requests_take_turns(
    chat: LocalChatModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests at once: the model runs one generation at a time, and both answer."""
    running: list[int] = []
    overlapping: list[int] = []
    original = generate_module.run_generation

    def one_of(*args: Any, **kwargs: Any) -> Any:
        overlapping.append(len(running))
        running.append(1)
        try:
            return original(*args, **kwargs)
        finally:
            running.pop()

    monkeypatch.setattr(generate_module, "run_generation", one_of)
    first, second = await asyncio.gather(
        chat.complete(ask("Say hello.", temperature=0, max_tokens=8)),
        chat.complete(ask("Say goodbye.", temperature=0, max_tokens=8)),
    )
    assert first.text
    assert second.text
    assert overlapping == [0, 0]


async def test_a_follow_up_turn_reuses_the_cached_prefix_and_answers_the_same(
    chat: LocalChatModel, local: LocalModel
) -> None:
    first = await chat.complete(ask("What is the capital of France?", temperature=0))
    history = [
        Message.user("What is the capital of France?"),
        Message.assistant(first.text),
        Message.user("And of Italy?"),
    ]
    follow_up = ChatRequest(model="smollm2", messages=history, temperature=0, max_tokens=20)
    reused = await chat.complete(follow_up)
    local.runner.reset()  # the next start runs the whole prompt again
    fresh = await chat.complete(follow_up)
    assert reused.text == fresh.text
    assert "Rome" in reused.text


def test_the_second_load_reads_the_built_cache(
    local: LocalModel, cache_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert local.source == "gguf"
    entry = local.cache_path
    assert entry is not None
    assert entry.parent == cache_dir
    for name in ("model.onnx", "model.onnx.data", "llama.json", "tokenizer.json", "chat.json"):
        assert (entry / name).is_file(), name
    assert {p.name for p in cache_dir.iterdir()} == {entry.name, ".digests"}

    capfd.readouterr()
    again = read_local_model(SMOLLM2, cache_dir=cache_dir, progress=False)
    assert capfd.readouterr().err == ""
    assert again.source == "cache"
    assert again.cache_path == entry
    assert again.chat == local.chat
    assert again.context_window == local.context_window == 8192


def test_a_damaged_cache_entry_is_built_again(local: LocalModel, tmp_path: Path) -> None:
    assert local.cache_path is not None
    damaged = tmp_path / local.cache_path.name
    shutil.copytree(local.cache_path, damaged)
    (damaged / "model.onnx").write_bytes(b"not a graph")
    rebuilt = read_local_model(SMOLLM2, cache_dir=tmp_path, progress=False)
    assert rebuilt.source == "gguf"
    assert (damaged / "model.onnx").stat().st_size > 1000


async def test_a_gguf_file_by_path_runs_the_same_way(tmp_path: Path) -> None:
    copy = tmp_path / "my-model.gguf"
    shutil.copyfile(SMOLLM2.gguf_path(), copy)
    chat = LocalChatModel(f"local/{copy}", progress=False, cache_dir=tmp_path / "cache")
    request = ChatRequest(
        model=f"local/{copy}",
        messages=[Message.user("What is the capital of France?")],
        temperature=0,
    )
    response = await chat.complete(request)
    assert "Paris" in response.text
    assert response.model == "my-model"


def test_an_unwritable_cache_costs_a_build_not_a_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be")
    local = read_local_model(SMOLLM2, cache_dir=blocker / "models", progress=False)
    assert local.source == "gguf"
    assert local.cache_path is not None
    assert not local.cache_path.is_relative_to(blocker)
    assert local.runner.forward([1, 2, 3]).shape == (local.runner.config.vocab,)


@pytest.mark.parametrize(
    "kind", [GGMLQuantizationType.Q4_0, GGMLQuantizationType.F16], ids=lambda kind: kind.name
)
async def test_any_llama_gguf_chats_through_the_same_path(
    tmp_path: Path, kind: GGMLQuantizationType
) -> None:
    """A file that is not SmolLM2 (random weights, its own vocabulary and template) is
    built, tokenized, templated and streamed like the default model."""
    path = write_tiny_llama(tmp_path / f"tiny-{kind.name}.gguf", kind, chat=True)
    chat = LocalChatModel(f"local/{path}", progress=False, cache_dir=tmp_path / "cache")
    request = ChatRequest(
        model=f"local/{path}", messages=[Message.user("hi there")], temperature=0, max_tokens=6
    )
    events = [event async for event in chat.stream(request)]
    usage = next(e for e in events if isinstance(e, UsageUpdate)).usage
    finish = events[-1]
    assert isinstance(finish, Finish)
    assert usage.input_tokens > 5  # the template's markers and the message
    assert 1 <= usage.output_tokens <= 6
    if finish.reason is FinishReason.LENGTH:
        assert usage.output_tokens == 6
    again = await chat.complete(request)
    assert again.text == "".join(e.text for e in events if isinstance(e, TextDelta))
