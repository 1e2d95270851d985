"""Run the Python examples of a docs page as a user would paste them.

A page marks each example it promises runs with an HTML comment right before its code
block, ``<!-- MARKER expects "…" -->``: the words its output must hold. The example
runs in a fresh interpreter, in a scratch directory, with the caller's environment
variables added, so it sees nothing of the test that runs it. :func:`run_over_failover`
is the loopback set-up the engine and observability pages share: OpenAI answers 503,
Anthropic with a recorded answer, so the output shows a failover.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support.cassettes import REPO
from tests.support.faults import Served, Status, upstream


def examples(page: str, marker: str) -> list[dict[str, str]]:
    """The examples of ``page`` (a path under the repository) after ``marker`` comments,
    each with its ``code``, its ``expects`` and any group ``marker`` names (a regular
    expression, such as ``example: (?P<target>\\S+)``)."""
    pattern = re.compile(
        rf'<!-- {marker} expects "(?P<expects>[^"]+)" -->\s*```python\n(?P<code>.*?)```',
        re.DOTALL,
    )
    return [m.groupdict() for m in pattern.finditer((REPO / page).read_text())]


def run_example(
    code: str, cwd: Path, env: Mapping[str, str] | None = None, *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``code`` run by a fresh interpreter in ``cwd``, with ``env`` added to this
    process's environment and nothing on stdin."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@dataclass(frozen=True)
class FailoverRun:
    """What an example run over the failover upstreams printed, and what each served."""

    done: subprocess.CompletedProcess[str]
    openai: list[Served]
    anthropic: list[Served]


def run_over_failover(code: str, cwd: Path) -> FailoverRun:
    """``code`` run with OpenAI's and Anthropic's base URLs on two loopback upstreams,
    OpenAI's answering 503 and Anthropic's with its recorded answer."""
    with (
        upstream("openai", "openai", default=Status(503)) as openai,
        upstream("anthropic", "anthropic") as anthropic,
    ):
        env = {
            "OPENAI_API_KEY": "sk-test-openai",
            "ANTHROPIC_API_KEY": "sk-test-anthropic",
            "OPENAI_BASE_URL": openai.v1,
            "ANTHROPIC_BASE_URL": anthropic.base_url,
        }
        done = run_example(code, cwd, env)
    return FailoverRun(done, openai.served, anthropic.served)
