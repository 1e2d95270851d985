"""The README's examples run as written.

Each Python example in README.md is preceded by a marker naming what it runs
against: a recording (``folder/cassette``), replayed on loopback with the provider's
``*_BASE_URL`` pointing there, or ``local`` for the offline model. The example runs in
a fresh interpreter exactly as a user would paste it, and its output must contain the
expected words.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fluent_ai.providers.catalog import chat_model
from tests.support.cassettes import cassettes, load
from tests.support.docs_examples import examples, run_example
from tests.support.replay import replay_server

EXAMPLES = examples("README.md", r"example: (?P<target>\S+)")


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, id=e["target"]) for e in EXAMPLES if e["target"] != "local"],
)
def test_recorded_example(example: dict[str, str], tmp_path: Path) -> None:
    folder, name = example["target"].split("/", 1)
    (path,) = [p for p in cassettes(folder) if p.stem.endswith(name)]
    profile = chat_model(f"{folder}/x", api_key="sk-test").profile  # type: ignore[attr-defined]
    with replay_server(load(path)) as server:
        env = {
            profile.api_key_env: "sk-test-key",
            profile.base_url_env: server.base_url + urlsplit(profile.base_url).path,
        }
        done = run_example(example["code"], tmp_path, env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not server.errors, server.errors
    assert example["expects"] in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "example",
    [pytest.param(e, id="local") for e in EXAMPLES if e["target"] == "local"],
)
def test_local_example(example: dict[str, str], tmp_path: Path) -> None:
    done = run_example(example["code"], tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert example["expects"] in done.stdout
