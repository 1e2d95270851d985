"""The router example of docs/engine.md runs as written, over loopback HTTP.

The example is the Python block after the ``<!-- engine-example expects "…" -->``
marker. It runs in a fresh interpreter as a user would paste it, with the providers'
``*_BASE_URL`` variables pointing at two loopback upstreams
(:mod:`tests.support.faults`): OpenAI's answers 503, Anthropic's answers with a
recorded answer, so the output shows a failover.
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
    r'<!-- engine-example expects "(?P<expects>[^"]+)" -->\s*```python\n(?P<code>.*?)```',
    re.DOTALL,
)


def test_the_router_example_runs(tmp_path: Path) -> None:
    found = list(EXAMPLE.finditer((REPO / "docs" / "engine.md").read_text()))
    assert len(found) == 1
    example = found[0]
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
    assert example["expects"] in done.stdout, done.stdout
    assert len(openai.served) == 1
    assert len(anthropic.served) == 1
