"""The SQLite call log: what a call leaves in it, search, and a log that cannot be written."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from pathlib import Path

import pytest

from fluent_ai.engine.calllog import CallLog, default_path
from fluent_ai.engine.observe import Observed
from fluent_ai.types import (
    ConfigurationError,
    ImagePart,
    InvalidRequestError,
    Message,
    collect_stream,
)
from tests.support.replay import replay_server
from tests.unit.engine.recorded import (
    failing,
    gemini,
    gemini_request,
    gemini_stream,
    openai,
    openai_answer,
    openai_request,
)

KEY = "sk-test-calllog-key-0123456789"


async def test_a_call_is_written_with_its_prompt_answer_usage_and_cost(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "logs.sqlite3")
    with replay_server([openai_answer()]) as server:
        model = Observed(openai(server.base_url), log=log, name="main", conversation="conv-1")
        async with model:
            response = await model.complete(openai_request("What is the capital of France?"))
    await asyncio.to_thread(log.flush)
    (call,) = log.recent()
    assert call.id == 1
    assert log.count() == 1
    assert (call.model, call.provider, call.deployment, call.conversation) == (
        "gpt-4o",
        "openai",
        "main",
        "conv-1",
    )
    assert call.prompt == "What is the capital of France?"
    assert call.messages == [
        {"role": "user", "parts": [{"type": "text", "text": "What is the capital of France?"}]}
    ]
    assert call.settings == {"temperature": 0.0}
    assert call.answer == response.text == "The capital of France is Paris."
    assert call.response == {"role": "assistant", "parts": [{"type": "text", "text": call.answer}]}
    assert call.response_model == response.model
    assert (call.input_tokens, call.output_tokens) == (
        response.usage.input_tokens,
        response.usage.output_tokens,
    )
    assert call.cost_usd == response.cost_usd
    assert call.outcome == "ok"
    assert call.finish_reason == "stop"
    assert call.latency_ms > 0
    assert call.first_event_ms is None
    assert not call.stream
    assert call.time.endswith("+00:00")
    assert log.get(1) == call
    assert log.get(2) is None
    log.close()


async def test_a_failed_call_and_a_stream_are_logged_and_no_key_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = CallLog(tmp_path / "logs.sqlite3")
    with (
        replay_server([failing(openai_answer(), 400)]) as bad,
        replay_server([gemini_stream()]) as good,
    ):
        from fluent_ai.providers.catalog import chat_model

        failing_model = chat_model("openai/gpt-4o", api_key=KEY, base_url=bad.base_url + "/v1")
        async with Observed(failing_model, log=log) as model:
            with pytest.raises(InvalidRequestError):
                await model.complete(openai_request("Please fail"))
        async with Observed(gemini(good.base_url), log=log) as model:
            streamed = await collect_stream(model.stream(gemini_request("Stream it")))
    log.close()
    failed, answered = sorted(log.recent(), key=lambda c: c.id)
    assert failed.outcome == "error"
    assert failed.error_type == "InvalidRequestError"
    assert failed.error
    assert "Invalid value" in failed.error
    assert failed.answer is None
    assert failed.cost_usd is None
    assert answered.stream
    assert answered.answer == streamed.text
    assert answered.first_event_ms is not None
    assert answered.system == "You are a helpful chatbot."
    raw = (tmp_path / "logs.sqlite3").read_bytes()
    assert KEY.encode() not in raw
    assert b"test-key" not in raw


async def test_search_finds_prompts_and_answers_by_their_words(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "logs.sqlite3")
    with replay_server([openai_answer(), openai_answer()]) as server:
        async with Observed(openai(server.base_url), log=log) as model:
            await model.complete(openai_request("Tell me about Lyon's bridges"))
            await model.complete(openai_request('Which "city" hosts the Louvre? OR NEAR*'))
    log.close()
    assert [c.prompt for c in log.search("bridges")] == ["Tell me about Lyon's bridges"]
    assert sorted(c.id for c in log.search("Paris")) == [1, 2]  # in both answers
    assert [c.id for c in log.search("louvre paris")] == [2]  # every word must match
    assert [c.id for c in log.search("lyon's")] == [1]
    assert [c.id for c in log.search('"city" OR NEAR*')] == [2]  # no FTS5 syntax errors
    assert log.search("   ") == []
    assert log.search("Berlin") == []
    assert len(log.recent(1)) == 1
    assert log.recent(1)[0].id == 2


async def test_inline_images_are_not_logged(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "logs.sqlite3")
    image = ImagePart(data=b"\x89PNG" + bytes(996), media_type="image/png")
    request = openai_request().model_copy(
        update={"messages": [Message.user("What is this?", image)]}
    )
    with replay_server([openai_answer()]) as server:
        async with Observed(openai(server.base_url), log=log) as model:
            await model.complete(request)
    log.close()
    (call,) = log.recent()
    assert call.messages[0]["parts"][1] == {
        "type": "image",
        "data": "[1000 bytes not logged]",
        "media_type": "image/png",
    }


async def test_writes_run_off_the_event_loop(tmp_path: Path) -> None:
    log = CallLog(tmp_path / "logs.sqlite3")
    writers: list[str] = []
    original = log._open

    def open_and_note() -> sqlite3.Connection:
        writers.append(threading.current_thread().name)
        return original()

    log._open = open_and_note  # type: ignore[method-assign]
    with replay_server([openai_answer()]) as server:
        async with Observed(openai(server.base_url), log=log) as model:
            await model.complete(openai_request())
    log.close()
    assert writers == ["fluent-ai-calllog"]
    assert log.count() == 1


async def test_a_log_that_cannot_be_written_warns_once_and_the_calls_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the log's directory should be")
    log = CallLog(blocker / "logs.sqlite3")
    with replay_server([openai_answer(), openai_answer()]) as server:
        async with Observed(openai(server.base_url), log=log) as model:
            with caplog.at_level(logging.WARNING, logger="fluent_ai.engine"):
                first = await model.complete(openai_request())
                await asyncio.to_thread(log.flush)
                second = await model.complete(openai_request())
                log.close()
    assert first.text == second.text == "The capital of France is Paris."
    assert log.dropped == 2
    warnings = [r for r in caplog.records if "cannot be written" in r.getMessage()]
    assert len(warnings) == 1
    assert log.recent() == []  # nothing was written, and reading says so plainly


def test_reading_a_file_that_is_not_a_log_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE something (x)")
    db.close()
    with pytest.raises(ConfigurationError, match="is not a fluent-ai call log"):
        CallLog(path).recent()


def test_the_default_path_is_in_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLUENT_AI_DATA_DIR", str(tmp_path))
    assert default_path() == tmp_path / "logs.sqlite3"
    assert CallLog().path == tmp_path / "logs.sqlite3"
