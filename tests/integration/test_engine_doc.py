"""The router example of docs/engine.md runs as written, over loopback HTTP.

The example is the Python block after the ``<!-- engine-example expects "…" -->``
marker. It runs in a fresh interpreter as a user would paste it, with the providers'
``*_BASE_URL`` variables pointing at two loopback upstreams
(:mod:`tests.support.faults`): OpenAI's answers 503, Anthropic's answers with a
recorded answer, so the output shows a failover.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.docs_examples import examples, run_over_failover


def test_the_router_example_runs(tmp_path: Path) -> None:
    (example,) = examples("docs/engine.md", "engine-example")
    run = run_over_failover(example["code"], tmp_path)
    assert run.done.returncode == 0, run.done.stderr
    assert example["expects"] in run.done.stdout, run.done.stdout
    assert len(run.openai) == 1
    assert len(run.anthropic) == 1
