"""The memory check refuses clearly, before loading, when the model will not fit."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from fluent_ai.providers.local import memory
from fluent_ai.types import LocalModelError


def available(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr(
        psutil, "virtual_memory", lambda: SimpleNamespace(available=count, total=count)
    )


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "model.gguf"
    with path.open("wb") as file:
        file.truncate(100_000_000)
    return path


def test_building_needs_room_for_the_file_its_repacked_copy_and_the_graph(gguf: Path) -> None:
    building = memory.needed_bytes(gguf, building=True)
    running = memory.needed_bytes(gguf, building=False)
    assert building - running == 2 * 100_000_000
    assert running > 100_000_000


def test_too_little_memory_is_refused_with_both_numbers(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    available(monkeypatch, 300_000_000)
    with pytest.raises(LocalModelError) as caught:
        memory.check_memory(gguf, building=True)
    message = str(caught.value)
    assert "needs about 0.5 GB" in message
    assert "0.3 GB is available" in message
    assert "model.gguf" in message


def test_enough_memory_reports_need_and_availability(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    available(monkeypatch, 8_000_000_000)
    needed, free = memory.check_memory(gguf, building=False)
    assert free == 8_000_000_000
    assert needed == memory.needed_bytes(gguf, building=False)
