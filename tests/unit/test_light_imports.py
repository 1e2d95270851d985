"""Optional extras stay optional: the CLI and the agent start without them.

The README's first command installs only the ``local`` extra, so nothing on the
``fluent-ai chat`` start-up path may import mcp, pypdf or pathspec, nor the local
models' runtime (numpy, onnx, onnxruntime, tokenizers) at module level: each is
imported where it is used.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = [
    *("mcp", "pypdf", "pathspec", "sentence_transformers", "torch", "transformers"),
    *("numpy", "onnx", "onnxruntime", "tokenizers", "gguf", "safetensors", "prompt_toolkit"),
]


def imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_cli_and_agent_import_no_optional_extra() -> None:
    loaded = imported_after(
        "import fluent_ai.cli\n"
        "from fluent_ai import FluentAI\n"
        "FluentAI.agent('a').model('openai/gpt-4o', api_key='k').system_prompt('hi').build()"
    )
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


def test_import_fluent_ai_is_nearly_free() -> None:
    loaded = imported_after("import fluent_ai")
    assert not loaded.intersection({"pydantic", "httpx", *HEAVY})


def test_a_client_adds_only_its_parser_to_the_first_call_path() -> None:
    # The HTTP/1.1 transport is asyncio's own connections and httptools' parser.
    path = "import fluent_ai.providers.remote, fluent_ai.providers.openai"
    before = imported_after(path)
    after = imported_after(f"{path}\nfrom fluent_ai.http import HttpClient\nHttpClient()")
    added = {name.partition(".")[0] for name in after - before}
    added -= {"cython_runtime"} | {name for name in added if name.startswith("_cython_")}
    assert "httpx" in {name.partition(".")[0] for name in before}
    assert added <= {"fluent_ai", "httptools"}, sorted(added)


def test_the_first_call_path_loads_no_command_line_client() -> None:
    # httpx imports its CLI (click, rich, pygments) at import: fluent_ai._httpx_cli defers it.
    loaded = imported_after("import fluent_ai.providers.remote, fluent_ai.providers.openai")
    roots = {name.partition(".")[0] for name in loaded}
    assert not roots.intersection({"click", "rich", "pygments"}), sorted(roots)
