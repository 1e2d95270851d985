"""The example of docs/observability.md runs as written, over loopback HTTP.

As for docs/engine.md's router example: a fresh interpreter, the providers'
``*_BASE_URL`` variables pointing at two loopback upstreams (:mod:`tests.support.faults`),
OpenAI's answering 503 and Anthropic's with a recorded answer, so the output shows one
failed attempt and one answered, each an event, a row of the log and a deployment's
figures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.cassettes import REPO
from tests.support.faults import Status, upstream

EXAMPLE = re.compile(
    r'<!-- observability-example expects "(?P<expects>[^"]+)" -->\s*```python\n(?P<code>.*?)```',
    re.DOTALL,
)


def test_the_observability_example_runs(tmp_path: Path) -> None:
    (example,) = EXAMPLE.finditer((REPO / "docs" / "observability.md").read_text())
    with (
        upstream("openai", "openai", default=Status(503)) as openai,
        upstream("anthropic", "anthropic") as anthropic,
    ):
        env = {
            **os.environ,
            "OPENAI_API_KEY": "sk-test-openai",
            "ANTHROPIC_API_KEY": "sk-test-anthropic",
            "OPENAI_BASE_URL": openai.v1,
            "ANTHROPIC_BASE_URL": anthropic.base_url,
        }
        done = subprocess.run(
            [sys.executable, "-c", example["code"]],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for expected in example["expects"].split("|"):
        assert expected in lines, done.stdout
    assert (tmp_path / "calls.sqlite3").exists()
    assert len(openai.served) == 1
    assert len(anthropic.served) == 1
