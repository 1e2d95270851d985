"""The example of docs/observability.md runs as written, over loopback HTTP.

As for docs/engine.md's router example: a fresh interpreter, the providers'
``*_BASE_URL`` variables pointing at two loopback upstreams (:mod:`tests.support.faults`),
OpenAI's answering 503 and Anthropic's with a recorded answer, so the output shows one
failed attempt and one answered, each an event, a row of the log and a deployment's
figures.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.docs_examples import examples, run_over_failover


def test_the_observability_example_runs(tmp_path: Path) -> None:
    (example,) = examples("docs/observability.md", "observability-example")
    run = run_over_failover(example["code"], tmp_path)
    assert run.done.returncode == 0, run.done.stderr
    lines = run.done.stdout.splitlines()
    for expected in example["expects"].split("|"):
        assert expected in lines, run.done.stdout
    assert (tmp_path / "calls.sqlite3").exists()
    assert len(run.openai) == 1
    assert len(run.anthropic) == 1
