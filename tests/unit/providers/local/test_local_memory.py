"""The memory check refuses clearly, before loading, when the model will not fit."""

from __future__ import annotations

from types import SimpleNamespace

import psutil
import pytest

from fluent_ai.providers.local import memory
from fluent_ai.providers.local.catalog import SMOLLM2
from fluent_ai.types import LocalModelError


def available(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr(
        psutil, "virtual_memory", lambda: SimpleNamespace(available=count, total=count)
    )


def test_converting_needs_room_for_two_copies_of_the_weights() -> None:
    weights = SMOLLM2.parameters * 4
    converting = memory.needed_bytes(SMOLLM2, converting=True)
    cached = memory.needed_bytes(SMOLLM2, converting=False)
    assert converting - cached == weights
    assert cached > weights


def test_too_little_memory_is_refused_with_both_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    available(monkeypatch, 300_000_000)
    with pytest.raises(LocalModelError) as caught:
        memory.check_memory(SMOLLM2, converting=True)
    message = str(caught.value)
    assert "needs about 1.6 GB" in message
    assert "0.3 GB is available" in message
    assert SMOLLM2.name in message


def test_enough_memory_reports_need_and_availability(monkeypatch: pytest.MonkeyPatch) -> None:
    available(monkeypatch, 8_000_000_000)
    needed, free = memory.check_memory(SMOLLM2, converting=False)
    assert free == 8_000_000_000
    assert needed == memory.needed_bytes(SMOLLM2, converting=False)
