"""The local model counts a prompt with its own chat template and tokenizer, exactly.

A tiny Llama GGUF with random weights, its own vocabulary and chat template
(:func:`tests.support.llama_reference.write_tiny_llama`), built and run as any local
model: the count must be the prompt tokens the answer's usage then reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("onnxruntime", reason="the local extra is not installed")

from gguf import GGMLQuantizationType
from tests.support.llama_reference import write_tiny_llama

from fluent_ai.providers.counting import token_counter
from fluent_ai.providers.local import LocalChatModel
from fluent_ai.types import ChatRequest, Message


async def test_the_count_is_the_prompt_the_answer_reports(tmp_path: Path) -> None:
    path = write_tiny_llama(tmp_path / "tiny.gguf", GGMLQuantizationType.Q4_0, chat=True)
    chat = LocalChatModel(f"local/{path}", progress=False, cache_dir=tmp_path / "cache")
    assert token_counter(chat) is chat
    request = ChatRequest(
        model=f"local/{path}",
        system="Be brief.",
        messages=[Message.user("hi there"), Message.assistant("hello"), Message.user("bye")],
        temperature=0,
        max_tokens=2,
    )
    counted = await chat.count_tokens(request)
    answer = await chat.complete(request)
    assert counted == answer.usage.input_tokens
    shorter = await chat.count_tokens(request.model_copy(update={"messages": request.messages[:1]}))
    assert 0 < shorter < counted
