"""Saving and loading: format by suffix, atomic replacement, errors that name the file."""

import errno
import json
import os
from pathlib import Path

import pytest

from fluent_ai.chat import Conversation, ConversationFormatError, load, save
from fluent_ai.types import ImagePart, Message


def chat(answer: str = "Hello!") -> Conversation:
    return Conversation(
        system="Be kind.",
        metadata={"title": "Greeting"},
        messages=[
            Message.user("Hi", ImagePart(data=b"\x00\x01", media_type="image/png")),
            Message.assistant(answer),
        ],
    )


def test_json_and_jsonl_by_suffix(tmp_path: Path) -> None:
    as_json, as_jsonl = tmp_path / "chat.json", tmp_path / "new" / "dir" / "chat.JSONL"
    chat().save(as_json)
    save(chat(), as_jsonl)
    assert json.loads(as_json.read_text(encoding="utf-8"))["format"] == "fluent-ai.conversation"
    assert len(as_jsonl.read_text(encoding="utf-8").splitlines()) == 3
    assert Conversation.load(as_json) == chat()
    assert load(str(as_jsonl)) == chat()


def test_saving_replaces_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    chat("first").save(path)
    chat("second").save(path)
    assert Conversation.load(path) == chat("second")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chat.json"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_save_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "chat.jsonl"
    chat("old").save(path)
    before = path.read_bytes()

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The new content has been written to a temporary file when the disk fills up
    # (fsync) or the rename fails: the target must not see any of it.
    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match="No space left"):
        chat("new " * 1000).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert Conversation.load(path) == chat("old")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chat.jsonl"]


def test_loading_a_malformed_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"format": "fluent-ai.conversation"}\n{"role": "user"}\n', encoding="utf-8")
    with pytest.raises(ConversationFormatError) as raised:
        load(path)
    assert raised.value.source == str(path)
    assert str(raised.value) == (f"malformed conversation: {path}, line 2, parts: Field required")
    broken_json = tmp_path / "broken.json"
    broken_json.write_text("{", encoding="utf-8")
    with pytest.raises(ConversationFormatError, match=r"broken\.json: Invalid JSON"):
        load(broken_json)
